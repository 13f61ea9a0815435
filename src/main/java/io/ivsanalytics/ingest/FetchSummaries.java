package io.ivsanalytics.ingest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fetch run's summary from its outcome rows: ids requested, fetched, skipped and failed, errors
 * by code, and calls, throttles and retries per account/region and operation.
 */
final class FetchSummaries {
  private static final Logger LOG = LoggerFactory.getLogger(FetchStage.class);

  static FetchSummary summarize(
      FetchOptions o,
      String runId,
      String lake,
      List<FetchId> input,
      List<String> warnings,
      List<Row> listed,
      Map<String, FetchId> pairs,
      Set<String> archived,
      long skipped,
      List<Row> fetched,
      long started) {
    TreeMap<String, Long> errorsByCode = new TreeMap<>();
    long fetchedNew = 0;
    Set<String> answered = new HashSet<>();
    long channelErrors = 0;
    long failed = 0;
    int channelsListed = 0;
    int discovered = 0;
    for (Row r : listed) {
      String status = r.getAs("status");
      if (Outcomes.ERROR.equals(status)) {
        channelErrors++;
        errorsByCode.merge(r.getAs("error_code"), 1L, Long::sum);
        failed += FetchSummary.isFailure(r.getAs("error_code"), r.getAs("http_status")) ? 1 : 0;
      } else if (Outcomes.LISTED.equals(status)) {
        channelsListed++;
      } else if (Outcomes.DISCOVERED.equals(status)) {
        discovered++;
      }
    }
    for (Row r : fetched) {
      answered.add(FetchId.key(r.getAs("channel_arn"), r.getAs("stream_id")));
      if (Outcomes.FETCHED.equals(r.getAs("status"))) {
        fetchedNew++;
      } else {
        errorsByCode.merge(r.getAs("error_code"), 1L, Long::sum);
        failed += FetchSummary.isFailure(r.getAs("error_code"), r.getAs("http_status")) ? 1 : 0;
      }
    }
    List<String> missing = new ArrayList<>();
    for (String key : pairs.keySet()) {
      if (!answered.contains(key) && !archived.contains(key)) {
        missing.add(key);
      }
    }
    if (!missing.isEmpty()) {
      LOG.error(
          "{} requested ids got no outcome, e.g. {}",
          missing.size(),
          missing.subList(0, Math.min(5, missing.size())));
    }
    List<FetchSummary.OpStats> stats = new ArrayList<>();
    stats.addAll(opStats(Outcomes.OP_LIST, listed));
    stats.addAll(opStats(Outcomes.OP_GET, fetched));
    stats.sort(
        java.util.Comparator.comparing(FetchSummary.OpStats::accountRegion)
            .thenComparing(FetchSummary.OpStats::op));
    TreeMap<String, Long> mix =
        input.stream()
            .collect(
                Collectors.groupingBy(FetchId::accountRegion, TreeMap::new, Collectors.counting()));
    return new FetchSummary(
        runId,
        o.from(),
        o.to(),
        lake,
        input.size(),
        mix,
        List.copyOf(warnings),
        channelsListed,
        discovered,
        pairs.size() + channelErrors,
        fetchedNew,
        skipped,
        errorsByCode,
        List.copyOf(stats),
        List.copyOf(missing),
        o.quotaTps(),
        System.currentTimeMillis() - started,
        failed,
        o.maxFailedShare());
  }

  private static List<FetchSummary.OpStats> opStats(String op, List<Row> rows) {
    Map<String, long[]> acc = new TreeMap<>();
    for (Row r : rows) {
      int attempts = r.getAs("attempts");
      if (attempts == 0) {
        continue;
      }
      long[] a =
          acc.computeIfAbsent(
              r.getAs("account_region"), k -> new long[] {0, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
      a[0] += attempts;
      a[1] += r.<Integer>getAs("throttles");
      a[2] += attempts - 1;
      a[3] = Math.min(a[3], r.<Long>getAs("started_ms"));
      a[4] = Math.max(a[4], r.<Long>getAs("ended_ms"));
    }
    List<FetchSummary.OpStats> out = new ArrayList<>();
    acc.forEach((k, a) -> out.add(new FetchSummary.OpStats(k, op, a[0], a[1], a[2], a[4] - a[3])));
    return out;
  }

  private FetchSummaries() {}
}
