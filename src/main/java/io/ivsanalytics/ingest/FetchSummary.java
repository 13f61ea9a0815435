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
 * @param failed requested ids that ended without an answer from IVS (see {@link #isFailure})
 * @param maxFailedShare the share of failed ids above which the run fails ({@code
 *     fetch.max.failed.share})
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
    long elapsedMillis,
    long failed,
    double maxFailedShare) {

  /**
   * Whether an error row means IVS gave no answer: throttling, 5xx, timeouts, connection errors and
   * resets, malformed bodies. A 4xx other than 429 (ResourceNotFound, AccessDenied, Validation) is
   * IVS's answer about that id, not a failure of the run.
   */
  public static boolean isFailure(String code, Integer httpStatus) {
    if (httpStatus == null || httpStatus >= 500 || httpStatus == 429) {
      return true;
    }
    return CallFailure.THROTTLING.equals(code)
        || CallFailure.MALFORMED.equals(code)
        || CallFailure.TIMEOUT.equals(code)
        || CallFailure.CONNECTION.equals(code);
  }

  /** Failed ids as a share of the requested ones (0 when nothing was requested). */
  public double failedShare() {
    return requested == 0 ? 0 : (double) failed / requested;
  }

  /** More than {@code fetch.max.failed.share} of the ids got no answer: the run exits 1. */
  public boolean tooManyFailed() {
    return failedShare() > maxFailedShare;
  }

  /** Exit code 0: every id accounted for, and not too many without an answer. */
  public boolean ok() {
    return balanced() && !tooManyFailed();
  }

  /** Calls of one operation against one (account, region) quota. */
  public record OpStats(
      String accountRegion, String op, long calls, long throttles, long retries, long spanMillis) {
    /**
     * Calls per second between the first call's start and the last call's end: (calls - 1) / span.
     */
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
    out.printf(
        Locale.ROOT,
        "input:     %d ids from %d account/region(s): %s%n",
        inputIds,
        inputMix.size(),
        inputMix.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", ")));
    for (String w : warnings) {
      out.println("warning:   " + w);
    }
    if (channelsListed > 0) {
      out.printf(
          Locale.ROOT,
          "discovery: %d channel(s) listed, %d session(s) in the window%n",
          channelsListed,
          sessionsDiscovered);
    }
    out.printf(Locale.ROOT, "requested: %d%n", requested);
    out.printf(
        Locale.ROOT,
        "fetched:   %d (%d new, %d already archived)%n",
        fetched(),
        fetchedNew,
        alreadyArchived);
    out.printf(
        Locale.ROOT,
        "errors:    %d%s%n",
        errors(),
        errorsByCode.isEmpty()
            ? ""
            : " ("
                + errorsByCode.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "))
                + ")");
    out.printf(
        Locale.ROOT,
        "calls:     %d, throttled %d, retries %d, elapsed %.1f s%n",
        calls(),
        throttles(),
        retries(),
        elapsedMillis / 1000.0);
    if (!stats.isEmpty()) {
      out.printf(
          Locale.ROOT,
          "  %-28s %-20s %7s %9s %7s %8s %13s%n",
          "account/region",
          "operation",
          "calls",
          "throttled",
          "retries",
          "span s",
          "achieved TPS");
      for (OpStats s : stats) {
        out.printf(
            Locale.ROOT,
            "  %-28s %-20s %7d %9d %7d %8.1f %6.2f (%3.0f%%)%n",
            s.accountRegion(),
            s.op(),
            s.calls(),
            s.throttles(),
            s.retries(),
            s.spanMillis() / 1000.0,
            s.achievedTps(),
            100.0 * s.achievedTps() / quotaTps);
      }
    }
    if (!missing.isEmpty()) {
      out.printf(
          Locale.ROOT,
          "missing:   %d id(s) without an outcome, e.g. %s%n",
          missing.size(),
          missing.subList(0, Math.min(5, missing.size())));
    }
    out.printf(
        Locale.ROOT,
        "check:     requested = fetched + errors: %d = %d + %d %s%n",
        requested,
        fetched(),
        errors(),
        balanced() ? "holds" : "DOES NOT HOLD");
    printFailedShare(out);
  }

  private void printFailedShare(PrintStream out) {
    if (tooManyFailed()) {
      out.printf(
          Locale.ROOT,
          "FAILED:    %d of %d requested ids (%.1f%%) got no answer from IVS (throttling, 5xx,"
              + " timeouts, connection errors, malformed responses), more than"
              + " fetch.max.failed.share %.2f; the raw archive and fetch_errors are written, exit"
              + " code 1. Check the endpoint, the network and the credentials, then run again:"
              + " archived sessions are not fetched twice.%n",
          failed,
          requested,
          100.0 * failedShare(),
          maxFailedShare);
    } else if (failed > 0) {
      out.printf(
          Locale.ROOT,
          "no answer: %d of %d requested ids (%.1f%%), within fetch.max.failed.share %.2f%n",
          failed,
          requested,
          100.0 * failedShare(),
          maxFailedShare);
    }
  }
}
