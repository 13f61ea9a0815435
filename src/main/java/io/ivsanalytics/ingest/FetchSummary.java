package io.ivsanalytics.ingest;

import java.io.PrintStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * The result of one fetch run, with exact counts. Every requested id is either fetched (newly, or
 * already archived and ended) or an error row: {@code requested = fetched + errors}.
 *
 * @param requested distinct ids after discovery: (channel, stream) pairs plus channels whose
 *     sessions could not be listed
 * @param inputMix ids in the input per {@code account/region}
 * @param stats calls per {@code account/region} and operation
 * @param missing requested ids that got no outcome (always empty unless something is broken)
 */
public record FetchSummary(
    String runId,
    LocalDate from,
    LocalDate to,
    String lake,
    int inputIds,
    SortedMap<String, Long> inputMix,
    List<String> warnings,
    int channelsListed,
    int sessionsDiscovered,
    long requested,
    long fetchedNew,
    long alreadyArchived,
    SortedMap<String, Long> errorsByCode,
    List<OpStats> stats,
    List<String> missing,
    double quotaTps,
    long elapsedMillis) {

  /** Calls of one operation against one (account, region) quota. */
  public record OpStats(String accountRegion, String op, long calls, long throttles, long retries, long spanMillis) {
    /** Calls per second between the first call's start and the last call's end: (calls - 1) / span. */
    public double achievedTps() {
      return spanMillis <= 0 || calls < 2 ? 0 : (calls - 1) * 1000.0 / spanMillis;
    }
  }

  public long fetched() {
    return fetchedNew + alreadyArchived;
  }

  public long errors() {
    return errorsByCode.values().stream().mapToLong(Long::longValue).sum();
  }

  public boolean balanced() {
    return requested == fetched() + errors() && missing.isEmpty();
  }

  public long calls() {
    return stats.stream().mapToLong(OpStats::calls).sum();
  }

  public long throttles() {
    return stats.stream().mapToLong(OpStats::throttles).sum();
  }

  public long retries() {
    return stats.stream().mapToLong(OpStats::retries).sum();
  }

  public void print(PrintStream out) {
    out.printf(Locale.ROOT, "fetch run %s, window [%s, %s), lake %s%n", runId, from, to, lake);
    out.printf(Locale.ROOT, "input:     %d ids from %d account/region(s): %s%n", inputIds, inputMix.size(),
        inputMix.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
    for (String w : warnings) {
      out.println("warning:   " + w);
    }
    if (channelsListed > 0) {
      out.printf(Locale.ROOT, "discovery: %d channel(s) listed, %d session(s) in the window%n",
          channelsListed, sessionsDiscovered);
    }
    out.printf(Locale.ROOT, "requested: %d%n", requested);
    out.printf(Locale.ROOT, "fetched:   %d (%d new, %d already archived)%n", fetched(), fetchedNew, alreadyArchived);
    out.printf(Locale.ROOT, "errors:    %d%s%n", errors(),
        errorsByCode.isEmpty() ? "" : " (" + errorsByCode.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + ")");
    out.printf(Locale.ROOT, "calls:     %d, throttled %d, retries %d, elapsed %.1f s%n",
        calls(), throttles(), retries(), elapsedMillis / 1000.0);
    if (!stats.isEmpty()) {
      out.printf(Locale.ROOT, "  %-28s %-20s %7s %9s %7s %8s %13s%n",
          "account/region", "operation", "calls", "throttled", "retries", "span s", "achieved TPS");
      for (OpStats s : stats) {
        out.printf(Locale.ROOT, "  %-28s %-20s %7d %9d %7d %8.1f %6.2f (%3.0f%%)%n",
            s.accountRegion(), s.op(), s.calls(), s.throttles(), s.retries(), s.spanMillis() / 1000.0,
            s.achievedTps(), 100.0 * s.achievedTps() / quotaTps);
      }
    }
    if (!missing.isEmpty()) {
      out.printf(Locale.ROOT, "missing:   %d id(s) without an outcome, e.g. %s%n", missing.size(),
          missing.subList(0, Math.min(5, missing.size())));
    }
    out.printf(Locale.ROOT, "check:     requested = fetched + errors: %d = %d + %d %s%n",
        requested, fetched(), errors(), balanced() ? "holds" : "DOES NOT HOLD");
  }
}
