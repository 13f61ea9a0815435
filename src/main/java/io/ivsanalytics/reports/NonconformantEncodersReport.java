package io.ivsanalytics.reports;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

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

  private static final Comparator<String> NULLS_LAST =
      Comparator.nullsLast(Comparator.naturalOrder());

  /** Most nonconformant first, then most tracks, then by channel type, encoder and codec. */
  private static final Comparator<Map.Entry<List<String>, long[]>> ORDER =
      Comparator.<Map.Entry<List<String>, long[]>>comparingLong(e -> -e.getValue()[1])
          .thenComparingLong(e -> -e.getValue()[0])
          .thenComparing(e -> e.getKey().get(0), NULLS_LAST)
          .thenComparing(e -> e.getKey().get(1), NULLS_LAST)
          .thenComparing(e -> e.getKey().get(2), NULLS_LAST);

  /**
   * @param groups per (channel_type, encoder, codec) of the window, its evaluated video tracks:
   *     tracks, nonconformant, over bitrate, over resolution, over frame rate
   */
  static ReportTable compute(Map<List<String>, long[]> groups) {
    List<List<Object>> rows = new ArrayList<>();
    groups.entrySet().stream()
        .filter(e -> e.getValue()[1] > 0)
        .sorted(ORDER)
        .limit(LIMIT)
        .forEach(
            e -> {
              long[] v = e.getValue();
              List<Object> r = new ArrayList<>(e.getKey());
              for (long x : v) {
                r.add(x);
              }
              r.add(Agg.rate(v[1], v[0]));
              rows.add(r);
            });
    return new ReportTable(FILE, COLUMNS, rows);
  }

  private NonconformantEncodersReport() {}
}
