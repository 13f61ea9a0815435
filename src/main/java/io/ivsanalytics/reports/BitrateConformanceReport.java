package io.ivsanalytics.reports;

import static io.ivsanalytics.reports.Agg.countIf;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.grouping_id;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import io.ivsanalytics.reports.BitrateLimits.ChannelLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * bitrate_conformance.csv: video tracks per channel type, then ALL, against {@link BitrateLimits}.
 *
 * <p>A track breaks the bitrate limit when target_bitrate is above its channel type's limit (for a
 * type with a low-bitrate rule, the low limit applies when video_height is at most the rule's
 * height); the resolution limit when both sides are known and the long side is above max_long_side
 * or the short side above max_short_side (portrait counts); the frame rate limit when
 * target_framerate is above max_fps. A missing value breaks nothing. A track conforms when it
 * breaks none. Tracks of a channel type without limits (unknown or missing) are counted in
 * video_tracks but not evaluated: their conformance cells are empty and they are left out of ALL's
 * conformant/over counts and conformance_rate, whose denominator is the evaluated tracks. p50/p95
 * are exact nearest-rank percentiles of target_bitrate over the row's video tracks.
 */
public final class BitrateConformanceReport {
  public static final String FILE = ReportCatalog.BITRATE_CONFORMANCE;
  public static final List<String> COLUMNS =
      List.of(
          "channel_type",
          "video_tracks",
          "conformant_tracks",
          "over_bitrate",
          "over_resolution",
          "over_framerate",
          "conformance_rate",
          "limit_bitrate_bps",
          "p50_target_bitrate",
          "p95_target_bitrate");

  /** Per-track checks against the limits, as Spark columns over the tracks table. */
  record Checks(
      Column evaluated,
      Column overBitrate,
      Column overResolution,
      Column overFramerate,
      Column conformant) {
    /** Evaluated and breaking at least one limit. */
    Column nonconformant() {
      return evaluated.and(not(conformant));
    }
  }

  /** The checks of a video track: see the class comment. Missing values break nothing. */
  static Checks checks(BitrateLimits limits) {
    Column type = col("channel_type");
    Column height = col("video_height");
    Column width = col("video_width");
    Column evaluated =
        limits.byChannelType().isEmpty()
            ? lit(false)
            : type.isin(limits.byChannelType().keySet().toArray());
    Column bitrateLimit =
        perType(
            limits,
            l ->
                l.maxHeightForLowBitrate() == null
                    ? lit(l.maxBitrateBps())
                    : when(height.leq(l.maxHeightForLowBitrate()), lit(l.lowMaxBitrateBps()))
                        .otherwise(lit(l.maxBitrateBps())));
    Column overBitrate = col("target_bitrate").gt(bitrateLimit);
    Column overResolution =
        width
            .isNotNull()
            .and(height.isNotNull())
            .and(
                greatest(width, height)
                    .gt(perType(limits, l -> lit(l.maxLongSide())))
                    .or(least(width, height).gt(perType(limits, l -> lit(l.maxShortSide())))));
    Column overFramerate = col("target_framerate").gt(perType(limits, l -> lit(l.maxFps())));
    Column ob = evaluated.and(coalesce(overBitrate, lit(false)));
    Column or = evaluated.and(coalesce(overResolution, lit(false)));
    Column of = evaluated.and(coalesce(overFramerate, lit(false)));
    return new Checks(evaluated, ob, or, of, evaluated.and(not(ob.or(or).or(of))));
  }

  /**
   * The tracks a row's conformance_rate is over: its video tracks when its type has limits (0 when
   * not); on ALL, the video tracks of every type with limits.
   */
  static long evaluatedTracks(ReportTable t, List<Object> row) {
    if (!Agg.ALL.equals(row.get(0))) {
      return t.cell(row, "conformant_tracks") == null ? 0 : t.longCell(row, "video_tracks");
    }
    long unevaluated = 0;
    for (List<Object> r : t.rows()) {
      if (!Agg.ALL.equals(r.get(0)) && t.cell(r, "conformant_tracks") == null) {
        unevaluated += t.longCell(r, "video_tracks");
      }
    }
    return t.longCell(row, "video_tracks") - unevaluated;
  }

  /**
   * @param tracks tracks of the window: channel_type, media, target_bitrate, target_framerate,
   *     video_width, video_height
   */
  public static ReportTable compute(Dataset<Row> tracks, BitrateLimits limits) {
    Column type = col("channel_type");
    Checks c = checks(limits);
    Column evaluated = c.evaluated();
    List<Row> groups =
        tracks
            .where(col("media").equalTo("video"))
            .rollup(type)
            .agg(
                grouping_id(type),
                count(lit(1)),
                countIf(evaluated),
                countIf(c.conformant()),
                countIf(c.overBitrate()),
                countIf(c.overResolution()),
                countIf(c.overFramerate()),
                Agg.percentileDisc(0.5, "target_bitrate"),
                Agg.percentileDisc(0.95, "target_bitrate"))
            .collectAsList();

    Map<String, Row> perType = new TreeMap<>(Agg.CHANNEL_TYPE_ORDER);
    Row allRow = null;
    for (Row g : groups) {
      if (((Number) g.get(1)).intValue() == 1) {
        allRow = g;
      } else {
        perType.put(g.getString(0), g);
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    perType.forEach(
        (t, g) ->
            rows.add(
                row(
                    t,
                    g,
                    limits.get(t) == null ? null : limits.get(t).maxBitrateBps(),
                    limits.get(t) != null)));
    rows.add(row(Agg.ALL, allRow, null, true));
    return new ReportTable(FILE, COLUMNS, rows);
  }

  /** g = channel_type, grouping id, video_tracks, evaluated, conformant, over x3, p50, p95. */
  private static List<Object> row(String type, Row g, Long limit, boolean evaluatedRow) {
    List<Object> r = new ArrayList<>();
    r.add(type);
    if (g == null) {
      r.add(0L);
      r.addAll(java.util.Arrays.asList(0L, 0L, 0L, 0L, null, limit, null, null));
      return r;
    }
    r.add(g.getLong(2));
    if (evaluatedRow) {
      for (int i = 4; i <= 7; i++) {
        r.add(Agg.orZero(g.get(i)));
      }
      r.add(Agg.rate(Agg.orZero(g.get(4)), Agg.orZero(g.get(3))));
    } else {
      r.addAll(java.util.Arrays.asList(null, null, null, null, null));
    }
    r.add(limit);
    r.add(Agg.asLong(g.get(8)));
    r.add(Agg.asLong(g.get(9)));
    return r;
  }

  /** A CASE over channel_type: each type's value, null for a type without limits. */
  private static Column perType(BitrateLimits limits, Function<ChannelLimits, Column> value) {
    Column c = null;
    for (Map.Entry<String, ChannelLimits> e : limits.byChannelType().entrySet()) {
      Column cond = col("channel_type").equalTo(e.getKey());
      c =
          c == null
              ? when(cond, value.apply(e.getValue()))
              : c.when(cond, value.apply(e.getValue()));
    }
    return c == null ? lit(null) : c;
  }

  private BitrateConformanceReport() {}
}
