package io.ivsanalytics.ingest;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;

/**
 * How many tasks Spark can run at the same time: the task slots of the executors that have
 * registered, after a bounded wait for them (public API only: the master URL, the status tracker's
 * executor list and the configuration).
 *
 * <p>Local mode: {@code local[N]} runs N tasks ({@code local[*]}: the cores of this machine). On a
 * cluster, executors register after the SparkContext starts; the fetch waits until the expected
 * number has registered ({@code spark.executor.instances}, the dynamic-allocation initial or
 * minimum count, or {@code spark.cores.max / spark.executor.cores}), or, when no number is
 * configured, until the count has been stable for two seconds, for at most {@code
 * spark.scheduler.maxRegisteredResourcesWaitingTime} (Spark's key, default 30 s). Slots are then
 * executors times {@code spark.executor.cores / spark.task.cpus}; without {@code
 * spark.executor.cores} (a standalone worker's executor takes all its cores) the total comes from
 * Spark's default parallelism, which is the registered cores.
 */
final class TaskSlots {
  private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?])?");
  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,.*]");
  static final long STABLE_MILLIS = 2000;
  static final long POLL_MILLIS = 100;

  /** The slots Spark offers now, after waiting for executors when the master is a cluster. */
  static int detect(SparkContext sc, Consumer<String> report) {
    SparkConf conf = sc.getConf();
    String master = sc.master();
    int taskCpus = Math.max(1, conf.getInt("spark.task.cpus", 1));
    Integer local = localSlots(master, Runtime.getRuntime().availableProcessors());
    if (local != null) {
      return Math.max(1, local / taskCpus);
    }
    Integer expected = expectedExecutors(conf);
    long maxWait = conf.getTimeAsMs("spark.scheduler.maxRegisteredResourcesWaitingTime", "30s");
    long start = System.currentTimeMillis();
    int executors = registeredExecutors(sc);
    long stableSince = start;
    while (true) {
      long now = System.currentTimeMillis();
      boolean done =
          expected != null
              ? executors >= expected
              : executors > 0 && now - stableSince >= STABLE_MILLIS;
      if (done || now - start >= maxWait) {
        break;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      int n = registeredExecutors(sc);
      if (n != executors) {
        executors = n;
        stableSince = System.currentTimeMillis();
      }
    }
    int slots = clusterSlots(executors, conf, sc.defaultParallelism());
    report.accept(
        String.format(
            Locale.ROOT,
            "executors: %d registered after %.1f s (%s), %d task slots",
            executors,
            (System.currentTimeMillis() - start) / 1000.0,
            expected != null
                ? "expected " + expected
                : "no executor count configured: waited for a stable count",
            slots));
    if (executors == 0) {
      report.accept(
          "executors: none registered within spark.scheduler.maxRegisteredResourcesWaitingTime;"
              + " planning for 1 task slot (set fetch.partitions, or give the cluster more time)");
    }
    return slots;
  }

  /** Slots of a local master, or null for a cluster master. */
  static Integer localSlots(String master, int cores) {
    Matcher m = LOCAL.matcher(master.strip());
    if (m.matches()) {
      String n = m.group(1);
      return n == null ? 1 : n.equals("*") ? cores : Integer.parseInt(n);
    }
    return null;
  }

  /** Executors the application asked for, or null when it did not say. */
  static Integer expectedExecutors(SparkConf conf) {
    if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
      int initial =
          conf.getInt(
              "spark.dynamicAllocation.initialExecutors",
              conf.getInt("spark.dynamicAllocation.minExecutors", 0));
      return initial > 0 ? initial : null;
    }
    if (conf.contains("spark.executor.instances")) {
      return conf.getInt("spark.executor.instances", 0);
    }
    Matcher lc = LOCAL_CLUSTER.matcher(conf.get("spark.master", ""));
    if (lc.matches()) {
      return Integer.parseInt(lc.group(1));
    }
    if (conf.contains("spark.cores.max") && conf.contains("spark.executor.cores")) {
      int cores = conf.getInt("spark.executor.cores", 1);
      return Math.max(1, conf.getInt("spark.cores.max", cores) / Math.max(1, cores));
    }
    return null;
  }

  /** Slots of {@code executors} registered executors; at least 1. */
  static int clusterSlots(int executors, SparkConf conf, int defaultParallelism) {
    int taskCpus = Math.max(1, conf.getInt("spark.task.cpus", 1));
    if (executors <= 0) {
      return 1;
    }
    Integer cores = null;
    if (conf.contains("spark.executor.cores")) {
      cores = conf.getInt("spark.executor.cores", 1);
    } else {
      Matcher lc = LOCAL_CLUSTER.matcher(conf.get("spark.master", ""));
      if (lc.matches()) {
        cores = Integer.parseInt(lc.group(2));
      } else {
        String master = conf.get("spark.master", "");
        if (master.startsWith("yarn") || master.startsWith("k8s")) {
          cores = 1;
        }
      }
    }
    if (cores != null) {
      return Math.max(1, executors * (cores / taskCpus));
    }
    boolean parallelismSet = conf.contains("spark.default.parallelism");
    int total = parallelismSet ? executors : defaultParallelism;
    return Math.max(1, total / taskCpus);
  }

  /** Executors registered with the driver: the status tracker lists the driver too. */
  static int registeredExecutors(SparkContext sc) {
    return Math.max(0, sc.statusTracker().getExecutorInfos().length - 1);
  }

  private TaskSlots() {}
}
