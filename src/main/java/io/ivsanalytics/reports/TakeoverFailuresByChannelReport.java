package io.ivsanalytics.reports;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import io.ivsanalytics.model.report.Wilson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * takeover_failures_by_channel.csv: the channels with the most stream takeover failures in the
 * window (at most {@link #LIMIT}, only channels with at least one failure), most failures first
 * (then most attempts, then ARN): name and type of the channel's latest session, attempts,
 * failures, failure_rate with its Wilson 95 % interval, and the most frequent failure code (ties:
 * the code first in alphabetical order, a missing code last; empty only when failures without a
 * code are strictly the most frequent).
 */
public final class TakeoverFailuresByChannelReport {
  public static final String FILE = ReportCatalog.TAKEOVER_FAILURES_BY_CHANNEL;
  public static final int LIMIT = 20;
  public static final List<String> COLUMNS =
      List.of(
          "channel_arn",
          "channel_name",
          "channel_type",
          "attempts",
          "failures",
          "failure_rate",
          "failure_rate_ci_low",
          "failure_rate_ci_high",
          "top_failure_code");

  /** Most failures first, then most attempts, then by channel ARN (a missing one last). */
  private static final Comparator<Map.Entry<String, EventFold.ChannelTakeovers>> ORDER =
      Comparator.<Map.Entry<String, EventFold.ChannelTakeovers>>comparingLong(
              e -> -e.getValue().failures)
          .thenComparingLong(e -> -e.getValue().attempts)
          .thenComparing(Map.Entry::getKey, Comparator.nullsLast(Comparator.naturalOrder()));

  /**
   * @param takeovers the window's takeovers per channel
   * @param sessions the window's sessions per channel: each channel's latest name and type
   */
  static ReportTable compute(
      Map<String, EventFold.ChannelTakeovers> takeovers,
      Map<String, SessionFold.ChannelSessions> sessions) {
    List<List<Object>> rows = new ArrayList<>();
    takeovers.entrySet().stream()
        .filter(e -> e.getValue().failures > 0)
        .sorted(ORDER)
        .limit(LIMIT)
        .forEach(
            e -> {
              String arn = e.getKey();
              EventFold.ChannelTakeovers t = e.getValue();
              SessionFold.ChannelSessions latest = arn == null ? null : sessions.get(arn);
              double[] ci = Wilson.interval(t.failures, t.attempts);
              List<Object> out = new ArrayList<>();
              out.add(arn);
              out.add(latest == null ? null : latest.name);
              out.add(latest == null ? t.maxType : latest.type);
              out.add(t.attempts);
              out.add(t.failures);
              out.add(Agg.rate(t.failures, t.attempts));
              out.add(ci[0]);
              out.add(ci[1]);
              out.add(arn == null ? null : topCode(t.failureCodes));
              rows.add(out);
            });
    return new ReportTable(FILE, COLUMNS, rows);
  }

  /** The most frequent code; ties go to the alphabetically first, a missing code sorts last. */
  static String topCode(Map<String, Long> counts) {
    return counts.entrySet().stream()
        .sorted(
            Map.Entry.<String, Long>comparingByValue()
                .reversed()
                .thenComparing(
                    Map.Entry.comparingByKey(Comparator.nullsLast(Comparator.naturalOrder()))))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(null);
  }

  private TakeoverFailuresByChannelReport() {}
}
