package io.ivsanalytics.ingest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one fan-out splits its ids into Spark tasks and each (account, region)'s quota among them.
 *
 * <p>At most {@code slots} tasks run at the same time. A group (account, region) held by {@code h}
 * tasks is therefore called by at most {@code lanes = min(slots, tasks, h)} tasks at once, and each
 * task calls it at {@code quota * safety / lanes}: together they never exceed the budget, whatever
 * tasks Spark runs together.
 *
 * <p>A task calls for at most about {@code taskSeconds}; a longer fetch has more tasks than slots,
 * and they run in waves. Spark starts tasks in index order on the first free slot. When the number
 * of tasks is not a multiple of the slots, the last {@code slots + r} tasks are sized so that every
 * slot ends at the same time: the first {@code r} of them and the last {@code r} get half a share
 * each (two halves run one after the other on {@code r} slots while the other slots run one whole
 * share). The largest group's ids are dealt to the tasks in proportion to these shares, which sets
 * how long each task lasts. A smaller group fills the same timeline from the start: every slot
 * calls it without a pause until they all end together, earlier than the largest group, instead of
 * waiting in every task for the largest one. A group with fewer ids than slots takes consecutive
 * tasks (which Spark runs together), one id each.
 *
 * @param slots task slots of the registered executors
 * @param tasks number of tasks (Spark partitions)
 * @param concurrent tasks that run at the same time, {@code min(slots, tasks)}
 * @param slices per task, its ids as {@code [channelArn, streamId]}
 * @param groups per (account, region), in name order
 */
record FetchPlan(
    int slots,
    int tasks,
    int concurrent,
    List<ArrayList<String[]>> slices,
    Map<String, Group> groups) {

  /**
   * One (account, region)'s share of the plan.
   *
   * @param ids ids of the group
   * @param holders tasks holding at least one of them
   * @param lanes tasks that call the group at the same time at most
   * @param ratePerLane calls per second of each of those tasks
   * @param firstTask the first task holding the group (where its first wave's stagger counts from)
   */
  record Group(
      String accountRegion, int ids, int holders, int lanes, double ratePerLane, int firstTask) {
    /** Calls per second of the whole group: {@code lanes * ratePerLane}. */
    double plannedTps() {
      return lanes * ratePerLane;
    }

    /** Seconds the group needs at its planned rate (one call per id). */
    double expectedSeconds() {
      return ids / plannedTps();
    }
  }

  /**
   * @param partitions {@code fetch.partitions} (the number of tasks), or null to size tasks at
   *     about {@code taskSeconds} of calls each, in whole waves of {@code slots}
   */
  static FetchPlan of(
      List<FetchId> ids,
      int slots,
      Integer partitions,
      double quotaTimesSafety,
      double taskSeconds) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be >= 1, got " + slots);
    }
    Map<String, List<FetchId>> byGroup = new TreeMap<>();
    for (FetchId id : ids) {
      byGroup.computeIfAbsent(id.accountRegion(), k -> new ArrayList<>()).add(id);
    }
    int largest = byGroup.values().stream().mapToInt(List::size).max().orElse(0);
    int tasks;
    if (partitions != null) {
      tasks = partitions;
    } else {
      double laneRate = quotaTimesSafety / slots;
      long perTask = Math.max(1, (long) Math.floor(laneRate * taskSeconds));
      long waves = Math.max(1, (largest + slots * perTask - 1) / (slots * perTask));
      tasks = (int) Math.min(Integer.MAX_VALUE / 2, slots * waves);
    }
    tasks = Math.max(1, Math.min(tasks, ids.size()));
    int concurrent = Math.min(slots, tasks);
    double[] weights = weights(tasks, slots);
    double total = Arrays.stream(weights).sum();

    List<ArrayList<String[]>> slices = new ArrayList<>();
    for (int t = 0; t < tasks; t++) {
      slices.add(new ArrayList<>());
    }
    // The largest group sets how long each task lasts; it starts when Spark's greedy scheduling
    // frees a slot. Every other group fills the same timeline from its start, so it calls without
    // a pause until it is done instead of waiting in every task for the largest one.
    int[] length = largest >= concurrent ? shares(largest, weights, total, concurrent) : null;
    double[] start = length == null ? null : starts(length, concurrent);
    Map<String, Group> groups = new LinkedHashMap<>();
    int offset = 0;
    for (Map.Entry<String, List<FetchId>> e : byGroup.entrySet()) {
      List<FetchId> group = e.getValue();
      int n = group.size();
      int holders;
      int first;
      if (length != null && n >= concurrent) {
        first = 0;
        holders = 0;
        int[] count = n == largest ? length : fill(n, length, start);
        int from = 0;
        for (int t = 0; t < tasks; t++) {
          for (int i = from; i < from + count[t]; i++) {
            slices.get(t).add(pair(group.get(i)));
          }
          holders += count[t] > 0 ? 1 : 0;
          from += count[t];
        }
      } else {
        if (offset + n > tasks) {
          offset = 0;
        }
        first = offset;
        for (int i = 0; i < n; i++) {
          slices.get(offset + i).add(pair(group.get(i)));
        }
        holders = n;
        offset += n;
      }
      int lanes = Math.max(1, Math.min(concurrent, holders));
      groups.put(
          e.getKey(), new Group(e.getKey(), n, holders, lanes, quotaTimesSafety / lanes, first));
    }
    return new FetchPlan(slots, tasks, concurrent, slices, groups);
  }

  /**
   * Relative size of each task so that greedy scheduling in index order on {@code slots} slots ends
   * every slot at the same time: whole waves of 1, and when {@code tasks = q * slots + r} with
   * {@code 0 < r} and {@code q >= 1}, the last {@code slots + r} tasks are {@code r} halves, {@code
   * slots - r} wholes, then {@code r} halves.
   */
  static double[] weights(int tasks, int slots) {
    double[] w = new double[tasks];
    Arrays.fill(w, 1.0);
    int q = tasks / slots;
    int r = tasks % slots;
    if (q >= 1 && r > 0) {
      int start = (q - 1) * slots;
      for (int i = 0; i < r; i++) {
        w[start + i] = 0.5;
        w[tasks - 1 - i] = 0.5;
      }
    }
    return w;
  }

  /**
   * When each task starts, in ids of the largest group: Spark runs tasks in index order, each on
   * the slot that is free first.
   */
  static double[] starts(int[] length, int concurrent) {
    return schedule(Arrays.stream(length).asDoubleStream().toArray(), concurrent, null);
  }

  /**
   * Spark's greedy order: each task, in index order, on the slot that is free first. Returns when
   * each task starts; {@code pred}, when given, gets the task before each on its slot (-1 for
   * none).
   */
  private static double[] schedule(double[] length, int concurrent, int[] pred) {
    double[] free = new double[concurrent];
    int[] last = new int[concurrent];
    Arrays.fill(last, -1);
    double[] start = new double[length.length];
    for (int t = 0; t < length.length; t++) {
      int j = 0;
      for (int k = 1; k < concurrent; k++) {
        if (free[k] < free[j]) {
          j = k;
        }
      }
      start[t] = free[j];
      free[j] += length[t];
      if (pred != null) {
        pred[t] = last[j];
      }
      last[j] = t;
    }
    return start;
  }

  /**
   * A group of {@code n} ids (no more than the largest) on the tasks' timeline: each slot calls it
   * from the start until the same moment {@code tau}, so every task before that moment holds as
   * many of its ids as the task lasts, the task that spans it holds the rest, and later tasks none.
   */
  static int[] fill(int n, int[] length, double[] start) {
    int tasks = length.length;
    double lo = 0;
    double hi = 0;
    for (int t = 0; t < tasks; t++) {
      hi = Math.max(hi, start[t] + length[t]);
    }
    for (int i = 0; i < 100 && hi - lo > 1e-9; i++) {
      double mid = (lo + hi) / 2;
      if (filled(mid, length, start) < n) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    int[] count = new int[tasks];
    double[] part = new double[tasks];
    int assigned = 0;
    for (int t = 0; t < tasks; t++) {
      part[t] = Math.min(length[t], Math.max(0, hi - start[t]));
      count[t] = Math.min(length[t], (int) Math.floor(part[t] + 1e-9));
      assigned += count[t];
    }
    // Ids left by rounding go to the tasks with the largest remainders, earliest first.
    Integer[] order = new Integer[tasks];
    for (int t = 0; t < tasks; t++) {
      order[t] = t;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          int c = Double.compare(part[b] - count[b], part[a] - count[a]);
          return c != 0 ? c : Double.compare(start[a], start[b]);
        });
    for (int i = 0; assigned < n; i = (i + 1) % tasks) {
      int t = order[i];
      if (count[t] < length[t]) {
        count[t]++;
        assigned++;
      }
    }
    return count;
  }

  private static double filled(double tau, int[] length, double[] start) {
    double sum = 0;
    for (int t = 0; t < length.length; t++) {
      sum += Math.min(length[t], Math.max(0, tau - start[t]));
    }
    return sum;
  }

  /**
   * {@code n} ids in proportion to the weights, in whole ids, such that every slot ends with {@code
   * n / concurrent} ids give or take one. Spark's scheduling is followed: each task goes to the
   * slot that is free first (the one with the fewest ids so far); the task gets what brings that
   * slot's ids to its running share rounded, and the ids left by rounding go to the last tasks of
   * the least loaded slots.
   */
  static int[] shares(int n, double[] weights, double total, int concurrent) {
    int tasks = weights.length;
    int[] count = new int[tasks];
    double[] ideal = new double[concurrent];
    int[] load = new int[concurrent];
    int[] last = new int[concurrent];
    Arrays.fill(last, -1);
    int assigned = 0;
    for (int t = 0; t < tasks; t++) {
      int j = 0;
      for (int k = 1; k < concurrent; k++) {
        if (load[k] < load[j] || (load[k] == load[j] && ideal[k] < ideal[j])) {
          j = k;
        }
      }
      ideal[j] += n * weights[t] / total;
      int c = Math.max(0, (int) Math.round(ideal[j]) - load[j]);
      count[t] = c;
      load[j] += c;
      last[j] = t;
      assigned += c;
    }
    while (assigned != n) {
      int j = -1;
      for (int k = 0; k < concurrent; k++) {
        if (last[k] < 0 || (assigned > n && count[last[k]] == 0)) {
          continue;
        }
        if (j < 0 || (assigned < n ? load[k] < load[j] : load[k] > load[j])) {
          j = k;
        }
      }
      int step = assigned < n ? 1 : -1;
      count[last[j]] += step;
      load[j] += step;
      assigned += step;
    }
    return count;
  }

  private static String[] pair(FetchId id) {
    return new String[] {id.channelArn(), id.streamId()};
  }

  /**
   * For each task, the task it follows on its slot (-1 for the first wave): Spark's greedy order,
   * each task on the slot that is free first, with a task lasting as long as its slowest group
   * needs at the planned rate. A task calls only after the one it follows has ended, so no more
   * than {@code concurrent} tasks call at once even when more executors register during the fetch
   * (a cluster that scales up, dynamic allocation): the rates were planned for that many. Each task
   * follows a lower index, which Spark starts first, so the chains cannot wait on each other.
   */
  int[] predecessors() {
    int[] pred = new int[tasks];
    schedule(slices.stream().mapToDouble(this::seconds).toArray(), concurrent, pred);
    return pred;
  }

  /** How long a task calls: its slowest group's ids at that group's rate per lane. */
  private double seconds(List<String[]> slice) {
    Map<String, Integer> n = new HashMap<>();
    for (String[] id : slice) {
      n.merge(io.ivsanalytics.model.IvsArn.parse(id[0]).accountRegion(), 1, Integer::sum);
    }
    double d = 0;
    for (Map.Entry<String, Integer> e : n.entrySet()) {
      d = Math.max(d, e.getValue() / groups.get(e.getKey()).ratePerLane());
    }
    return d;
  }

  /** Per-lane rates, for {@link WorkerConfig}. */
  HashMap<String, Double> rates() {
    HashMap<String, Double> m = new HashMap<>();
    groups.forEach((k, g) -> m.put(k, g.ratePerLane()));
    return m;
  }

  /** The first task of each group, for {@link WorkerConfig}. */
  HashMap<String, Integer> firstTasks() {
    HashMap<String, Integer> m = new HashMap<>();
    groups.forEach((k, g) -> m.put(k, g.firstTask()));
    return m;
  }

  /** Seconds the whole fan-out needs at the planned rates: its slowest group's. */
  double expectedSeconds() {
    return groups.values().stream().mapToDouble(Group::expectedSeconds).max().orElse(0);
  }

  int largestTask() {
    return slices.stream().mapToInt(List::size).max().orElse(0);
  }

  /**
   * The plan as printed at the start: ids per account/region and the expected time at the quota.
   */
  List<String> describe(String op, double quotaTps) {
    List<String> lines = new ArrayList<>();
    int total = groups.values().stream().mapToInt(Group::ids).sum();
    lines.add(
        String.format(
            Locale.ROOT,
            "plan %s: %d ids over %d account/region(s); %d task slots, %d tasks (%d at a time, at"
                + " most %d ids each); expected %s at the quota",
            op,
            total,
            groups.size(),
            slots,
            tasks,
            concurrent,
            largestTask(),
            duration(expectedSeconds())));
    for (Group g : groups.values()) {
      lines.add(
          String.format(
              Locale.ROOT,
              "plan %s:   %-28s %7d ids  %d tasks at a time x %.3f calls/s = %.2f calls/s"
                  + " (%.0f%% of %s)  expected %s",
              op,
              g.accountRegion(),
              g.ids(),
              g.lanes(),
              g.ratePerLane(),
              g.plannedTps(),
              100 * g.plannedTps() / quotaTps,
              trim(quotaTps),
              duration(g.expectedSeconds())));
    }
    return lines;
  }

  static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
  }

  /** {@code 41 s}, {@code 12 min 5 s}, {@code 3 h 02 min}. */
  static String duration(double seconds) {
    long s = Math.round(Math.max(0, seconds));
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }
}
