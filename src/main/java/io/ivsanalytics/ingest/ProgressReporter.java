package io.ivsanalytics.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * The progress line of one fan-out, every {@code interval} on the driver: ids done of the total,
 * calls per second and share of the quota per (account, region), throttles, errors and the time
 * left.
 *
 * <p>Counts come from the {@link FetchProgress} accumulator: the driver's value (the tasks that
 * ended) plus, for each task still running, the value its executor's last heartbeat carried ({@code
 * spark.executor.heartbeatInterval}, 10 s by default). Calls per second are measured over the last
 * interval before the oldest of those heartbeats (the launch of a task that has sent none yet):
 * every call before that moment has been counted, so the rate is exact, only that much late. The
 * time left is the slowest group's remaining ids at its measured rate (at its planned rate until
 * one is measured).
 */
final class ProgressReporter implements AutoCloseable {
  /** Past this many (account, region)s the line shows the slowest ones and the spread. */
  static final int MAX_GROUPS_SHOWN = 6;

  private final String op;
  private final FetchPlan plan;
  private final FetchProgress progress;
  private final double quotaTps;
  private final long intervalMillis;
  private final Consumer<String> sink;
  private final LongSupplier clock;
  private final long startMillis;
  private final RunningTasks running;
  private final SparkContext sc;
  private final ScheduledExecutorService timer;

  private ProgressReporter(
      String op,
      FetchPlan plan,
      FetchProgress progress,
      double quotaTps,
      long intervalMillis,
      Consumer<String> sink,
      LongSupplier clock,
      SparkContext sc,
      String runProperty) {
    this.op = op;
    this.plan = plan;
    this.progress = progress;
    this.quotaTps = quotaTps;
    this.intervalMillis = intervalMillis;
    this.sink = sink;
    this.clock = clock;
    this.startMillis = clock.getAsLong();
    this.sc = sc;
    this.running =
        sc == null
            ? null
            : new RunningTasks(runProperty, progress.isRegistered() ? progress.id() : -1);
    if (sc != null) {
      sc.addSparkListener(running);
    }
    if (intervalMillis > 0) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "fetch-progress");
                t.setDaemon(true);
                return t;
              });
      timer.scheduleAtFixedRate(this::tick, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    } else {
      timer = null;
    }
  }

  /**
   * Starts the progress lines of the Spark jobs whose local property {@link #RUN_PROPERTY} equals
   * {@code runTag}; {@code intervalMillis} 0 prints none.
   */
  static ProgressReporter start(
      SparkContext sc,
      String runTag,
      String op,
      FetchPlan plan,
      FetchProgress progress,
      double quotaTps,
      long intervalMillis,
      Consumer<String> sink) {
    return start(
        sc, runTag, op, plan, progress, quotaTps, intervalMillis, sink, System::currentTimeMillis);
  }

  static ProgressReporter start(
      SparkContext sc,
      String runTag,
      String op,
      FetchPlan plan,
      FetchProgress progress,
      double quotaTps,
      long intervalMillis,
      Consumer<String> sink,
      LongSupplier clock) {
    return new ProgressReporter(
        op, plan, progress, quotaTps, intervalMillis, sink, clock, sc, runTag);
  }

  /**
   * The Spark local property that tags the fetch's jobs, so the listener follows their tasks only.
   */
  static final String RUN_PROPERTY = "ivs.analytics.fetch.run";

  private void tick() {
    try {
      long now = clock.getAsLong();
      long horizon = running == null ? now : running.horizon(now);
      long firstLaunch = running == null ? startMillis : running.firstLaunch();
      FetchProgress.Snapshot s = progress.value();
      if (running != null) {
        s = running.live(s);
      }
      sink.accept(line(s, now, horizon, firstLaunch));
      progress.forgetBefore((horizon - 2 * Math.max(intervalMillis, 1000)) / 1000 - 1);
    } catch (RuntimeException e) {
      sink.accept("progress: " + e);
    }
  }

  /**
   * The progress line at {@code now}, with calls per second over the interval that ends at {@code
   * horizon} (every call before it is counted) and starts no earlier than the first task ({@code
   * firstLaunch}, {@code Long.MAX_VALUE} while none has started).
   */
  String line(FetchProgress.Snapshot s, long now, long horizon, long firstLaunch) {
    int total = plan.groups().values().stream().mapToInt(FetchPlan.Group::ids).sum();
    long done = s.total(FetchProgress.DONE);
    long windowEnd = horizon / 1000;
    long windowStart =
        firstLaunch == Long.MAX_VALUE
            ? windowEnd
            : Math.max((firstLaunch + 999) / 1000, windowEnd - Math.max(1, intervalMillis / 1000));
    long windowSeconds = windowEnd - windowStart;
    List<String> parts = new ArrayList<>();
    double eta = 0;
    double[] shares = new double[plan.groups().size()];
    int i = 0;
    List<GroupLine> lines = new ArrayList<>();
    for (FetchPlan.Group g : plan.groups().values()) {
      long gDone = s.get(g.accountRegion(), FetchProgress.DONE);
      double rate =
          windowSeconds <= 0
              ? Double.NaN
              : (double) s.calls(g.accountRegion(), windowStart, windowEnd) / windowSeconds;
      long left = Math.max(0, g.ids() - gDone);
      double basis = !Double.isNaN(rate) && rate > 0 ? rate : g.plannedTps();
      double gEta = left / basis;
      eta = Math.max(eta, gEta);
      shares[i++] = Double.isNaN(rate) ? Double.NaN : rate / quotaTps;
      lines.add(new GroupLine(g, gDone, rate, gEta));
    }
    parts.add(
        String.format(
            Locale.ROOT,
            "progress %s: %d/%d ids (%.0f%%), elapsed %s, ETA %s, throttled %d, errors %d",
            op,
            done,
            total,
            total == 0 ? 100.0 : 100.0 * done / total,
            FetchPlan.duration((now - startMillis) / 1000.0),
            done >= total ? "0 s" : FetchPlan.duration(eta),
            s.total(FetchProgress.THROTTLES),
            s.total(FetchProgress.ERRORS)));
    String window =
        windowSeconds <= 0
            ? "calls/s: not measured yet"
            : String.format(
                Locale.ROOT,
                "calls/s over %d s ending %d s ago",
                windowSeconds,
                Math.max(0, (now - horizon) / 1000));
    parts.add(window);
    lines.sort((a, b) -> Double.compare(b.eta(), a.eta()));
    int shown = Math.min(lines.size(), MAX_GROUPS_SHOWN);
    for (GroupLine l : lines.subList(0, shown)) {
      parts.add(
          String.format(
              Locale.ROOT,
              "%s %d/%d %s",
              l.group().accountRegion(),
              l.done(),
              l.group().ids(),
              Double.isNaN(l.rate())
                  ? "-"
                  : String.format(
                      Locale.ROOT, "%.2f/s (%.0f%%)", l.rate(), 100 * l.rate() / quotaTps)));
    }
    if (lines.size() > shown) {
      double min = Double.MAX_VALUE;
      double max = 0;
      for (double sh : shares) {
        if (!Double.isNaN(sh)) {
          min = Math.min(min, sh);
          max = Math.max(max, sh);
        }
      }
      parts.add(
          String.format(
              Locale.ROOT,
              "%d more account/regions%s",
              lines.size() - shown,
              max == 0
                  ? ""
                  : String.format(
                      Locale.ROOT,
                      ", share of quota %.0f%%..%.0f%% over all",
                      100 * min,
                      100 * max)));
    }
    return String.join(" | ", parts);
  }

  private record GroupLine(FetchPlan.Group group, long done, double rate, double eta) {}

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
      try {
        timer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (sc != null) {
      sc.removeSparkListener(running);
    }
  }

  /**
   * The tasks of the tagged jobs that are still running: their launch times and the progress their
   * executors' last heartbeats carried (public listener API: stage properties, task start and end,
   * executor metrics updates).
   */
  static final class RunningTasks extends SparkListener {
    /** A heartbeat's snapshot is of the executor's copy shortly before the driver received it. */
    static final long HEARTBEAT_SLACK_MS = 1000;

    private final String runTag;
    private final long accumulatorId;
    private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
    private final Map<Long, Long> launched = new ConcurrentHashMap<>();
    private final Map<Long, Heartbeat> heartbeats = new ConcurrentHashMap<>();
    private volatile long firstLaunch = Long.MAX_VALUE;

    private record Heartbeat(FetchProgress.Snapshot snapshot, long receivedMillis) {}

    RunningTasks(String runTag, long accumulatorId) {
      this.runTag = runTag;
      this.accumulatorId = accumulatorId;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
      Properties p = e.properties();
      if (p != null && runTag.equals(p.getProperty(RUN_PROPERTY))) {
        stages.add(e.stageInfo().stageId());
      }
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart e) {
      if (stages.contains(e.stageId())) {
        launched.put(e.taskInfo().taskId(), e.taskInfo().launchTime());
        firstLaunch = Math.min(firstLaunch, e.taskInfo().launchTime());
      }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
      // The driver's accumulator holds a successful task's counts from now on (Spark merges them
      // before it posts the end); a failed attempt's counts are dropped with it.
      launched.remove(e.taskInfo().taskId());
      heartbeats.remove(e.taskInfo().taskId());
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate e) {
      long now = System.currentTimeMillis();
      var tasks = e.accumUpdates().iterator();
      while (tasks.hasNext()) {
        var task = tasks.next();
        long taskId = ((Number) task._1()).longValue();
        var infos = task._4().iterator();
        while (infos.hasNext()) {
          AccumulableInfo info = infos.next();
          if (info.id() == accumulatorId
              && info.update().isDefined()
              && info.update().get() instanceof FetchProgress.Snapshot snapshot) {
            // A heartbeat sent before its task ended may arrive after the end: not counted twice.
            heartbeats.compute(
                taskId, (k, old) -> launched.containsKey(k) ? new Heartbeat(snapshot, now) : null);
          }
        }
      }
    }

    /**
     * {@code ended} (the driver's accumulator) plus the last heartbeat of each running task (the
     * listener keeps heartbeats of running tasks only).
     */
    FetchProgress.Snapshot live(FetchProgress.Snapshot ended) {
      FetchProgress.Snapshot s = ended;
      for (Heartbeat h : heartbeats.values()) {
        s = s.plus(h.snapshot());
      }
      return s;
    }

    /** The launch of the first task, {@code Long.MAX_VALUE} before. */
    long firstLaunch() {
      return firstLaunch;
    }

    /**
     * The moment before which every call has been counted: the oldest last heartbeat of a running
     * task (the launch of one that has sent none), or {@code now} when none runs.
     */
    long horizon(long now) {
      long min = now;
      for (Map.Entry<Long, Long> t : launched.entrySet()) {
        Heartbeat h = heartbeats.get(t.getKey());
        min =
            Math.min(
                min,
                h == null
                    ? t.getValue()
                    : Math.max(t.getValue(), h.receivedMillis() - HEARTBEAT_SLACK_MS));
      }
      return min;
    }
  }
}
