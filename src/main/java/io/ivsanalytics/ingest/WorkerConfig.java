package io.ivsanalytics.ingest;

import java.io.Serializable;
import java.util.HashMap;

/**
 * Everything an executor task needs, all serializable: client settings, each (account, region)'s
 * per-worker rate, the retry policy and where the raw archive goes.
 */
record WorkerConfig(
    ClientSettings client,
    HashMap<String, Double> ratePerWorker,
    Backoff backoff,
    int maxAttempts,
    long callDeadlineMillis,
    String lakeRoot,
    String runId,
    int chunkRecords,
    long chunkFlushMillis,
    long fromMillis,
    long toMillis)
    implements Serializable {

  RetryingCaller caller(String accountRegion) {
    Double rate = ratePerWorker.get(accountRegion);
    if (rate == null) {
      throw new IllegalStateException("no rate budget for " + accountRegion);
    }
    return new RetryingCaller(
        RateLimiter.system(rate), backoff, maxAttempts, callDeadlineMillis,
        System::currentTimeMillis, Sleeper.SYSTEM,
        () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
  }
}
