package io.ivsanalytics.ingest;

import io.ivsanalytics.model.IvsArn;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Row;

/**
 * Runs one task's slice: one worker thread per (account, region) in the slice, each with its own
 * share of that quota, so different accounts and regions proceed in parallel.
 */
final class AccountRegionWorkers {

  /** The work of one thread: all ids of one (account, region) in this slice, in order. */
  interface Body {
    void run(
        String accountRegion,
        String region,
        List<String[]> ids,
        RetryingCaller caller,
        List<Row> out)
        throws InterruptedException;
  }

  static Iterator<Row> run(
      int partition,
      Iterator<ArrayList<String[]>> slice,
      WorkerConfig cfg,
      String threadPrefix,
      Body body)
      throws InterruptedException {
    Map<String, List<String[]>> byGroup = new LinkedHashMap<>();
    while (slice.hasNext()) {
      for (String[] id : slice.next()) {
        byGroup
            .computeIfAbsent(IvsArn.parse(id[0]).accountRegion(), k -> new ArrayList<>())
            .add(id);
      }
    }
    // The task's attempt, read on the task's thread (Spark's TaskContext is per thread).
    org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
    int attempt = task == null ? 0 : task.attemptNumber();
    try {
      cfg.awaitPredecessor(partition);
      if (byGroup.isEmpty()) {
        cfg.ended(partition);
        return java.util.Collections.emptyIterator();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(
          "fetch task " + partition + ": cannot use the task markers", e);
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            byGroup.size(),
            r -> {
              Thread t = new Thread(r, threadPrefix + "-" + partition);
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<List<Row>>> futures = new ArrayList<>();
      for (Map.Entry<String, List<String[]>> e : byGroup.entrySet()) {
        String group = e.getKey();
        String region = IvsArn.parse(e.getValue().get(0)[0]).region();
        futures.add(
            pool.submit(
                () -> {
                  List<Row> out = cfg.progressCounted(group);
                  IvsClients.warmUp(cfg.client(), group);
                  RateLimiter limiter = cfg.limiter(group, partition, attempt);
                  body.run(group, region, e.getValue(), cfg.caller(limiter), out);
                  cfg.release(group, limiter);
                  return out;
                }));
      }
      List<Row> rows = new ArrayList<>();
      for (Future<List<Row>> f : futures) {
        rows.addAll(f.get());
      }
      try {
        cfg.ended(partition);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(
            "fetch task " + partition + ": cannot write its end marker", e);
      }
      return rows.iterator();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("fetch worker failed", c);
    } finally {
      pool.shutdownNow();
    }
  }

  /** A file-name-safe worker name, e.g. {@code 123456789012-us-west-2}. */
  static String workerName(String accountRegion) {
    return accountRegion.replace('/', '-');
  }

  private AccountRegionWorkers() {}
}
