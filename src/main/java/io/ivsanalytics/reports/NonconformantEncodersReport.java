package io.ivsanalytics.reports;

import static io.ivsanalytics.reports.Agg.countIf;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * nonconformant_encoders.csv: video tracks on channel types with limits, per channel_type, encoder
 * and codec, for the {@link #LIMIT} groups with the most nonconformant tracks (only groups with at
 * least one): video_tracks, nonconformant_tracks, over_bitrate, over_resolution, over_framerate (a
 * track may break more than one) and share_nonconformant = nonconformant_tracks / video_tracks.
 * Most nonconformant first, then most tracks, then the keys.
 */
public final class NonconformantEncodersReport {
  public static final String FILE = ReportCatalog.NONCONFORMANT_ENCODERS;
  public static final int LIMIT = 20;
  public static final List<String> COLUMNS =
      List.of(
          "channel_type",
          "encoder",
          "codec",
          "video_tracks",
          "nonconformant_tracks",
          "over_bitrate",
          "over_resolution",
          "over_framerate",
          "share_nonconformant");

  /**
   * @param tracks tracks of the window: channel_type, media, encoder, codec and the checked columns
   */
  public static ReportTable compute(Dataset<Row> tracks, BitrateLimits limits) {
    BitrateConformanceReport.Checks c = BitrateConformanceReport.checks(limits);
    List<Row> groups =
        tracks
            .where(col("media").equalTo("video").and(c.evaluated()))
            .groupBy("channel_type", "encoder", "codec")
            .agg(
                count(lit(1)).as("n"),
                countIf(c.nonconformant()).as("bad"),
                countIf(c.overBitrate()),
                countIf(c.overResolution()),
                countIf(c.overFramerate()))
            .where(col("bad").gt(0))
            .orderBy(
                col("bad").desc(),
                col("n").desc(),
                col("channel_type").asc_nulls_last(),
                col("encoder").asc_nulls_last(),
                col("codec").asc_nulls_last())
            .limit(LIMIT)
            .collectAsList();
    List<List<Object>> rows = new ArrayList<>();
    for (Row g : groups) {
      List<Object> r = new ArrayList<>();
      r.add(g.getString(0));
      r.add(g.getString(1));
      r.add(g.getString(2));
      r.add(g.getLong(3));
      r.add(g.getLong(4));
      r.add(g.getLong(5));
      r.add(g.getLong(6));
      r.add(g.getLong(7));
      r.add(Agg.rate(g.getLong(4), g.getLong(3)));
      rows.add(r);
    }
    return new ReportTable(FILE, COLUMNS, rows);
  }

  private NonconformantEncodersReport() {}
}
