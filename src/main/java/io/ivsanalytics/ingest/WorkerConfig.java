package io.ivsanalytics.ingest;

import io.ivsanalytics.lake.LakeFs;
import java.io.Serializable;
import java.util.HashMap;

/**
 * Everything an executor task needs, all serializable: client settings, each (account, region)'s
 * per-worker rate, the retry policy, where the raw archive goes (the lake file system travels as a
 * broadcast of Spark's Hadoop configuration) and the progress accumulator.
 *
 * @param partitions tasks of the fan-out
 * @param firstWave tasks that start together (the first {@code min(slots, tasks)})
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
    double quotaTimesSafety,
    int firstWave,
    FetchProgress progress,
    int[] predecessors,
    String taskMarkers,
    long firstWaveAtMillis)
    implements Serializable {

  /** How often a task that follows another checks whether that one has ended. */
  static final long FOLLOW_POLL_MILLIS = 200;

  /**
   * Waits until the task that {@code partition} follows on its slot ({@link
   * FetchPlan#predecessors}) has ended, as its marker under {@link #taskMarkers} says. A task of
   * the first wave does not wait.
   */
  void awaitPredecessor(int partition) throws InterruptedException, java.io.IOException {
    int before = predecessors[partition];
    if (before < 0) {
      return;
    }
    String marker = marker(before);
    long since = System.nanoTime();
    while (!lakeFs.exists(marker)) {
      Thread.sleep(FOLLOW_POLL_MILLIS);
    }
    long waited = (System.nanoTime() - since) / 1_000_000;
    if (waited >= 1000) {
      org.slf4j.LoggerFactory.getLogger(WorkerConfig.class)
          .info("task {} waited {} ms for task {} to end on its slot", partition, waited, before);
    }
  }

  /** The task's calls have ended: a task that follows it may start. */
  void ended(int partition) throws java.io.IOException {
    lakeFs.writeFile(taskMarkers, "task-" + partition, new byte[0]);
  }

  private String marker(int partition) {
    return taskMarkers + "/task-" + partition;
  }

  /**
   * The pace of one worker: its share of the quota, from its first call on. A worker after the
   * first wave takes over the pace of one that ended in this JVM ({@link LaneHandoff}), else it
   * waits as {@link #startDelayNanos} says.
   */
  RateLimiter limiter(String accountRegion, int partition, int attempt) {
    Double rate = ratePerWorker.get(accountRegion);
    if (rate == null) {
      throw new IllegalStateException("no rate budget for " + accountRegion);
    }
    long delay = startDelayNanos(accountRegion, partition, attempt);
    if (!(attempt == 0 && partition < firstWave)) {
      Long handedOver = LaneHandoff.take(handoffKey(accountRegion));
      if (handedOver != null) {
        delay = Math.max(0, handedOver - System.nanoTime());
      }
    }
    return RateLimiter.system(rate).startAfter(delay);
  }

  /** A worker ended: a later task of this fan-out in this JVM may continue at its pace. */
  void release(String accountRegion, RateLimiter limiter) {
    LaneHandoff.release(handoffKey(accountRegion), limiter.nextPermitNanos());
  }

  private String handoffKey(String accountRegion) {
    return LaneHandoff.key(
        runId,
        progress == null ? 0 : progress.id(),
        accountRegion,
        ratePerWorker.get(accountRegion));
  }

  RetryingCaller caller(RateLimiter limiter) {
    return new RetryingCaller(
        limiter,
        backoff,
        maxAttempts,
        callDeadlineMillis,
        System::currentTimeMillis,
        Sleeper.SYSTEM,
        () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
  }

  /**
   * When a worker may call first. The first wave's workers of one (account, region) start staggered
   * by their position among the lanes, so together they call evenly spaced: from the worker's own
   * start in local mode, from {@code firstWaveAtMillis} (wall clock, set by the driver) on a
   * cluster, where executors start their tasks at different moments. A task that starts later takes
   * the slot of one that just made its last call: it waits one interval of its rate, so that slot
   * never calls faster than its share. So does a retried task.
   */
  long startDelayNanos(String accountRegion, int partition, int taskAttempt) {
    double rate = ratePerWorker.get(accountRegion);
    long interval = (long) Math.ceil(1e9 / rate);
    int lanes = (int) Math.round(quotaTimesSafety / rate);
    int position = Math.floorMod(partition - firstPartition.get(accountRegion), partitions);
    if (taskAttempt == 0 && partition < firstWave && position < lanes) {
      long offset = lanes <= 1 ? 0 : (long) (position * 1e9 / rate / lanes);
      if (firstWaveAtMillis < 0) {
        return offset;
      }
      // On a cluster every lane counts from the same moment, whenever its executor started the
      // task; a lane that starts late takes the next call of its own place in the stagger.
      long due = (firstWaveAtMillis - System.currentTimeMillis()) * 1_000_000L + offset;
      return due >= 0 ? due : Math.floorMod(due, interval);
    }
    return interval;
  }

  /**
   * The outcome list of one worker: each row added is also counted into the progress accumulator
   * (when there is one) at once, so a running task's heartbeats carry its progress.
   */
  java.util.List<org.apache.spark.sql.Row> progressCounted(String accountRegion) {
    if (progress == null) {
      return new java.util.ArrayList<>();
    }
    FetchProgress counter = progress;
    return new java.util.ArrayList<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public boolean add(org.apache.spark.sql.Row row) {
        super.add(row);
        counter.add(new FetchProgress.Update(accountRegion, java.util.List.of(row)));
        return true;
      }
    };
  }
}
