package io.ivsanalytics.ingest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.util.AccumulatorV2;

/**
 * What the fetch tasks have done, per (account, region): ids done, ids that ended in an error,
 * calls, throttles, and calls per second of wall-clock time. A Spark accumulator: each task adds to
 * its own copy on its executor as each id ends, and Spark merges that copy into the driver's when
 * the task ends, so the counts cross JVMs through Spark alone and count each successful task once.
 * While a task runs, its executor's heartbeats carry its copy's current value to the driver ({@link
 * ProgressReporter} shows those too).
 *
 * <p>Thread-safe: a task's worker threads add concurrently while a heartbeat reads or serializes
 * the copy, and the driver reads while Spark merges.
 */
final class FetchProgress extends AccumulatorV2<FetchProgress.Update, FetchProgress.Snapshot> {
  private static final long serialVersionUID = 1L;
  static final int DONE = 0;
  static final int ERRORS = 1;
  static final int CALLS = 2;
  static final int THROTTLES = 3;
  private static final int FIELDS = 4;
  private static final int STATUS = Outcomes.SCHEMA.fieldIndex("status");
  private static final int ATTEMPTS = Outcomes.SCHEMA.fieldIndex("attempts");
  private static final int THROTTLED = Outcomes.SCHEMA.fieldIndex("throttles");
  private static final int ENDED_MS = Outcomes.SCHEMA.fieldIndex("ended_ms");

  /** One worker's outcome rows of one (account, region). */
  record Update(String accountRegion, List<Row> outcomes) {}

  /**
   * Totals per (account, region) ({@link #DONE}, {@link #ERRORS}, {@link #CALLS}, {@link
   * #THROTTLES}) and calls per (account, region) and epoch second.
   */
  record Snapshot(Map<String, long[]> totals, Map<String, TreeMap<Long, Long>> callsBySecond) {
    /** The sum of this and {@code other} (new maps; neither is changed). */
    Snapshot plus(Snapshot other) {
      Map<String, long[]> t = new HashMap<>();
      Map<String, TreeMap<Long, Long>> c = new HashMap<>();
      for (Snapshot s : List.of(this, other)) {
        s.totals.forEach(
            (k, v) -> addTo(t, c, k, v, s.callsBySecond.getOrDefault(k, new TreeMap<>())));
      }
      return new Snapshot(t, c);
    }

    long total(int field) {
      return totals.values().stream().mapToLong(a -> a[field]).sum();
    }

    long get(String accountRegion, int field) {
      long[] a = totals.get(accountRegion);
      return a == null ? 0 : a[field];
    }

    /** Calls of a group whose last attempt ended in [fromSecond, toSecond). */
    long calls(String accountRegion, long fromSecond, long toSecond) {
      TreeMap<Long, Long> h = callsBySecond.get(accountRegion);
      if (h == null || fromSecond >= toSecond) {
        return 0;
      }
      return h.subMap(fromSecond, toSecond).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private HashMap<String, long[]> totals = new HashMap<>();
  private HashMap<String, TreeMap<Long, Long>> callsBySecond = new HashMap<>();

  @Override
  public synchronized boolean isZero() {
    return totals.isEmpty() && callsBySecond.isEmpty();
  }

  @Override
  public synchronized FetchProgress copy() {
    FetchProgress c = new FetchProgress();
    totals.forEach((k, v) -> c.totals.put(k, v.clone()));
    callsBySecond.forEach((k, v) -> c.callsBySecond.put(k, new TreeMap<>(v)));
    return c;
  }

  @Override
  public synchronized void reset() {
    totals = new HashMap<>();
    callsBySecond = new HashMap<>();
  }

  /**
   * Counts one worker's outcome rows: an id is done when its row is fetched, listed or an error.
   */
  @Override
  public void add(Update u) {
    long[] a = new long[FIELDS];
    TreeMap<Long, Long> seconds = new TreeMap<>();
    for (Row r : u.outcomes()) {
      String status = r.getString(STATUS);
      if (!Outcomes.DISCOVERED.equals(status)) {
        a[DONE]++;
      }
      if (Outcomes.ERROR.equals(status)) {
        a[ERRORS]++;
      }
      int attempts = r.getInt(ATTEMPTS);
      if (attempts > 0) {
        a[CALLS] += attempts;
        a[THROTTLES] += r.getInt(THROTTLED);
        seconds.merge(r.getLong(ENDED_MS) / 1000, (long) attempts, Long::sum);
      }
    }
    synchronized (this) {
      addTo(u.accountRegion(), a, seconds);
    }
  }

  private void addTo(String group, long[] a, Map<Long, Long> seconds) {
    addTo(totals, callsBySecond, group, a, seconds);
  }

  /** Adds one group's counts and calls per second into {@code totals} and {@code callsBySecond}. */
  private static void addTo(
      Map<String, long[]> totals,
      Map<String, TreeMap<Long, Long>> callsBySecond,
      String group,
      long[] a,
      Map<Long, Long> seconds) {
    long[] t = totals.computeIfAbsent(group, k -> new long[FIELDS]);
    for (int i = 0; i < FIELDS; i++) {
      t[i] += a[i];
    }
    if (!seconds.isEmpty()) {
      TreeMap<Long, Long> h = callsBySecond.computeIfAbsent(group, k -> new TreeMap<>());
      seconds.forEach((s, n) -> h.merge(s, n, Long::sum));
    }
  }

  @Override
  public void merge(AccumulatorV2<Update, Snapshot> other) {
    if (!(other instanceof FetchProgress o)) {
      throw new UnsupportedOperationException("cannot merge " + other.getClass().getName());
    }
    FetchProgress snapshot = o.copy();
    synchronized (this) {
      snapshot.totals.forEach(
          (k, v) -> addTo(k, v, snapshot.callsBySecond.getOrDefault(k, new TreeMap<>())));
    }
  }

  @Override
  public synchronized Snapshot value() {
    FetchProgress c = copy();
    return new Snapshot(c.totals, c.callsBySecond);
  }

  /** A task's copy is serialized (heartbeats, the task's end) while its workers may still add. */
  private synchronized void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
    out.defaultWriteObject();
  }

  /** Drops per-second counts before {@code second} (the driver keeps only what it still shows). */
  synchronized void forgetBefore(long second) {
    callsBySecond.values().forEach(h -> h.headMap(second).clear());
  }
}
