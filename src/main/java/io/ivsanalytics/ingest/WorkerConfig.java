package io.ivsanalytics.ingest;

import io.ivsanalytics.lake.LakeFs;
import java.io.Serializable;
import java.util.HashMap;

/**
 * Everything an executor task needs, all serializable: client settings, each (account, region)'s
 * per-worker rate, the retry policy and where the raw archive goes (the lake file system
 * travels as a broadcast of Spark's Hadoop configuration).
 */
record WorkerConfig(
    ClientSettings client,
    HashMap<String, Double> ratePerWorker,
    HashMap<String, Integer> firstPartition,
    int partitions,
    Backoff backoff,
    int maxAttempts,
    long callDeadlineMillis,
    LakeFs lakeFs,
    String lakeRoot,
    String runId,
    int chunkRecords,
    long chunkFlushMillis,
    long fromMillis,
    long toMillis,
    double quotaTimesSafety)
    implements Serializable {

  /**
   * The retry loop of one worker: its share of the (account, region) quota, its first call
   * staggered by its position among the partitions holding that (account, region).
   */
  RetryingCaller caller(String accountRegion, int partition) {
    Double rate = ratePerWorker.get(accountRegion);
    if (rate == null) {
      throw new IllegalStateException("no rate budget for " + accountRegion);
    }
    int holders = (int) Math.round(quotaTimesSafety / rate);
    int slot = Math.floorMod(partition - firstPartition.get(accountRegion), partitions);
    long stagger = holders <= 1 ? 0 : (long) (slot * 1e9 / rate / holders);
    return new RetryingCaller(
        RateLimiter.system(rate).startAfter(stagger), backoff, maxAttempts, callDeadlineMillis,
        System::currentTimeMillis, Sleeper.SYSTEM,
        () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
  }
}
