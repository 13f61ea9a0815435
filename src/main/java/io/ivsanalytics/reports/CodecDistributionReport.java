package io.ivsanalytics.reports;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * codec_distribution.csv: one row per channel_type, media, codec_family, codec (docs/reports.md; no
 * total rows, so sums over the file count every track once). share_of_tracks = tracks / all tracks
 * of that media in that channel type.
 */
public final class CodecDistributionReport {
  public static final String FILE = ReportCatalog.CODEC_DISTRIBUTION;
  public static final List<String> COLUMNS =
      List.of(
          "channel_type",
          "media",
          "codec_family",
          "codec",
          "sessions",
          "tracks",
          "share_of_tracks");

  private static final Comparator<String> NULLS_LAST =
      Comparator.nullsLast(Comparator.naturalOrder());
  private static final Comparator<List<String>> KEY_ORDER =
      Comparator.<List<String>, String>comparing(k -> k.get(0), NULLS_LAST)
          .thenComparing(k -> k.get(1), NULLS_LAST)
          .thenComparing(k -> k.get(2), NULLS_LAST)
          .thenComparing(k -> k.get(3), NULLS_LAST);

  /**
   * @param groups tracks per (channel_type, media, codec_family, codec) of the window
   */
  static ReportTable compute(Map<List<String>, Tally.OfSessions> groups) {
    Map<List<String>, long[]> perType = new TreeMap<>(KEY_ORDER);
    groups.forEach((k, v) -> perType.put(k, new long[] {v.sessions.size(), v.rows}));
    List<List<Object>> rows = new ArrayList<>();
    addRows(rows, perType);
    return new ReportTable(FILE, COLUMNS, rows);
  }

  private static void addRows(List<List<Object>> rows, Map<List<String>, long[]> groups) {
    Map<List<String>, Long> mediaTotals = new HashMap<>();
    groups.forEach((k, v) -> mediaTotals.merge(Arrays.asList(k.get(0), k.get(1)), v[1], Long::sum));
    groups.forEach(
        (k, v) -> {
          long total = mediaTotals.get(Arrays.asList(k.get(0), k.get(1)));
          List<Object> r = new ArrayList<>();
          r.add(k.get(0));
          r.add(k.get(1));
          r.add(k.get(2));
          r.add(k.get(3));
          r.add(v[0]);
          r.add(v[1]);
          r.add(Agg.rate(v[1], total));
          rows.add(r);
        });
  }

  private CodecDistributionReport() {}
}
