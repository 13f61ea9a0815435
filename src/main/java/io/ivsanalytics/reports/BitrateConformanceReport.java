package io.ivsanalytics.reports;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
   * @param perType video tracks per channel type of the window
   */
  static ReportTable compute(Map<String, TrackFold.Conformance> perType, BitrateLimits limits) {
    Map<String, TrackFold.Conformance> sorted = new TreeMap<>(Agg.CHANNEL_TYPE_ORDER);
    sorted.putAll(perType);
    TrackFold.Conformance all = new TrackFold.Conformance();
    List<List<Object>> rows = new ArrayList<>();
    sorted.forEach(
        (t, g) -> {
          all.merge(g);
          rows.add(
              row(
                  t,
                  g,
                  limits.get(t) == null ? null : limits.get(t).maxBitrateBps(),
                  limits.get(t) != null));
        });
    rows.add(row(Agg.ALL, all, null, true));
    return new ReportTable(FILE, COLUMNS, rows);
  }

  private static List<Object> row(
      String type, TrackFold.Conformance g, Long limit, boolean evaluatedRow) {
    List<Object> r = new ArrayList<>();
    r.add(type);
    r.add(g.videoTracks);
    if (evaluatedRow) {
      r.add(g.conformant);
      r.add(g.overBitrate);
      r.add(g.overResolution);
      r.add(g.overFramerate);
      r.add(Agg.rate(g.conformant, g.evaluated));
    } else {
      r.addAll(java.util.Arrays.asList(null, null, null, null, null));
    }
    r.add(limit);
    r.add(g.bitrates.percentileDisc(0.5));
    r.add(g.bitrates.percentileDisc(0.95));
    return r;
  }

  private BitrateConformanceReport() {}
}
