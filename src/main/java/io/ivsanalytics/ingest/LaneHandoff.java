package io.ivsanalytics.ingest;

import java.util.Iterator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Hands the pace of a finished worker on to the next task of the same fan-out and (account, region)
 * that starts in the same executor JVM: when a worker ends, it leaves the moment its next call
 * would have been allowed; a worker of a later task that finds one starts then, so the slot keeps
 * its rate across the task boundary instead of waiting a whole interval. Each hand-off is taken
 * once. A worker that finds none (another executor, the first of its kind) waits one interval,
 * which is always safe.
 *
 * <p>Executor-local state only: the driver never reads it, and nothing crosses JVMs.
 */
final class LaneHandoff {
  private static final long KEEP_NANOS = TimeUnit.MINUTES.toNanos(2);
  private static final Map<String, PriorityQueue<Long>> FREE = new ConcurrentHashMap<>();

  /** One fan-out (its progress accumulator's id) and (account, region) at one rate. */
  static String key(String runId, long fanOut, String accountRegion, double rate) {
    return runId + "|" + fanOut + "|" + accountRegion + "|" + rate;
  }

  /** A worker ended: its next call would have been allowed at {@code nextPermitNanos}. */
  static void release(String key, long nextPermitNanos) {
    long now = System.nanoTime();
    PriorityQueue<Long> free = FREE.computeIfAbsent(key, k -> new PriorityQueue<>());
    synchronized (free) {
      free.add(nextPermitNanos);
    }
    synchronized (FREE) {
      for (Iterator<Map.Entry<String, PriorityQueue<Long>>> it = FREE.entrySet().iterator();
          it.hasNext(); ) {
        PriorityQueue<Long> q = it.next().getValue();
        synchronized (q) {
          q.removeIf(t -> now - t > KEEP_NANOS);
          if (q.isEmpty()) {
            it.remove();
          }
        }
      }
    }
  }

  /** The earliest hand-off left for {@code key}, taken; null when there is none. */
  static Long take(String key) {
    PriorityQueue<Long> q = FREE.get(key);
    if (q == null) {
      return null;
    }
    synchronized (q) {
      return q.poll();
    }
  }

  private LaneHandoff() {}
}
