package io.ivsanalytics.ingest;

import io.ivsanalytics.lake.LakeFs;
import io.ivsanalytics.model.LakePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetch stage: input ids, discovery of sessions in the window, skip of what the raw archive
 * already holds ended, GetStreamSession fan-out on the executors into the raw archive, and the
 * fetch_errors partition of the run date.
 *
 * <p>Rate budget: IVS allows 5 TPS per account, region and operation. The ids are split into tasks
 * as {@link FetchPlan} describes: a task runs one worker per (account, region) it holds, paced at
 * {@code quota * safety / lanes}, where lanes is the number of tasks that can call that (account,
 * region) at the same time (never more than the task slots of the registered executors, {@link
 * TaskSlots}). All tasks together stay under the quota while different accounts and regions proceed
 * in parallel. The plan is printed at the start and a progress line every {@code
 * fetch.progress.interval.seconds} ({@link ProgressReporter}).
 */
public final class FetchStage {
  private static final Logger LOG = LoggerFactory.getLogger(FetchStage.class);

  /** How long IVS keeps a channel's session list (ListStreamSessions). */
  static final int SESSION_LIST_DAYS = 60;

  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  public static FetchSummary run(SparkSession spark, FetchOptions o) {
    return run(spark, o, LOG::info);
  }

  /**
   * As {@link #run(SparkSession, FetchOptions)}, with the plan and progress lines sent to {@code
   * report}.
   */
  public static FetchSummary run(SparkSession spark, FetchOptions o, Consumer<String> report) {
    long started = System.currentTimeMillis();
    String runId =
        RUN_ID.format(o.clock().instant())
            + "-"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    LakeFs fs = LakeFs.of(spark);
    WritableLake.require(fs, o.lake());
    String lake = normalizeRoot(fs, o.lake());
    removeStaleTaskMarkers(fs, lake, o.clock().instant());
    ClientSettings client =
        new ClientSettings(
            o.endpoint(), o.attemptTimeoutMillis(), o.callTimeoutMillis(), 64, o.roles());
    spark.sparkContext().setJobGroup("fetch-" + runId, "fetch " + runId, false);
    try {
      List<String> warnings = new ArrayList<>();
      List<FetchId> input = readIds(fs, o, client, warnings);
      int partitions = TaskSlots.detect(spark.sparkContext(), report);
      LOG.info(
          "fetch {}: {} ids, window [{}, {}), {} task slots",
          runId,
          input.size(),
          o.from(),
          o.to(),
          partitions);

      if (spark.sparkContext().getConf().getBoolean("spark.speculation", false)) {
        String w =
            "spark.speculation is on: a speculative copy of a fetch task spends its share of the"
                + " quota a second time and will be throttled; turn it off for runs that fetch";
        LOG.warn(w);
        warnings.add(w);
      }
      List<FetchId> channels = input.stream().filter(FetchId::isChannelOnly).toList();
      if (!channels.isEmpty() && o.from().isBefore(o.runDate().minusDays(SESSION_LIST_DAYS))) {
        String w =
            String.format(
                Locale.ROOT,
                "--from %s is more than %d days ago: IVS lists a channel's sessions"
                    + " for %d days only, older sessions cannot be discovered",
                o.from(),
                SESSION_LIST_DAYS,
                SESSION_LIST_DAYS);
        LOG.warn(w);
        warnings.add(w);
      }
      List<Row> listed =
          onExecutors(
              spark,
              o,
              client,
              fs,
              lake,
              runId,
              partitions,
              channels,
              "channels",
              ListSessionsFunction::new,
              Outcomes.OP_LIST,
              report);
      Map<String, FetchId> pairs = sessionPairs(input, listed);
      Set<String> archived = ArchiveIndex.endedSessions(spark, fs, lake, o.from(), o.to());
      List<FetchId> toFetch =
          pairs.values().stream().filter(id -> !archived.contains(id.key())).toList();
      long skipped = pairs.size() - toFetch.size();
      LOG.info(
          "fetch {}: {} sessions requested, {} already archived and ended",
          runId,
          pairs.size(),
          skipped);
      if (skipped > 0) {
        report.accept(
            String.format(
                Locale.ROOT,
                "plan %s: %d of %d sessions already archived and ended, not fetched again",
                Outcomes.OP_GET,
                skipped,
                pairs.size()));
      }
      List<Row> fetched =
          onExecutors(
              spark,
              o,
              client,
              fs,
              lake,
              runId,
              partitions,
              toFetch,
              "sessions",
              FetchSessionsFunction::new,
              Outcomes.OP_GET,
              report);

      FetchErrorsTable.replace(
          spark, fs, lake, o.runDate(), requestedKeys(pairs, listed), errorRows(listed, fetched));
      warnings.addAll(AccountAccess.warnings(o.roles(), listed, fetched));

      return FetchSummaries.summarize(
          o, runId, lake, input, warnings, listed, pairs, archived, skipped, fetched, started);
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  private static List<FetchId> readIds(
      LakeFs fs, FetchOptions o, ClientSettings client, List<String> warnings) {
    if (o.idsFile() != null) {
      IdsFile.Parsed parsed = IdsFile.read(fs, o.idsFile());
      warnings.addAll(parsed.warnings());
      parsed.warnings().forEach(LOG::warn);
      return parsed.ids();
    }
    if (o.ids() != null) {
      return List.copyOf(new LinkedHashSet<>(o.ids()));
    }
    return ChannelLister.list(client, o.regions(), o);
  }

  private static String normalizeRoot(LakeFs fs, String lake) {
    try {
      return fs.normalizeRoot(lake);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve lake " + lake, e);
    }
  }

  /** Explicit pairs in input order, then discovered sessions; each pair once. */
  private static Map<String, FetchId> sessionPairs(List<FetchId> input, List<Row> listed) {
    Map<String, FetchId> pairs = new LinkedHashMap<>();
    for (FetchId id : input) {
      if (!id.isChannelOnly()) {
        pairs.putIfAbsent(id.key(), id);
      }
    }
    for (Row r : listed) {
      if (Outcomes.DISCOVERED.equals(r.getAs("status"))) {
        FetchId id = new FetchId(r.getAs("channel_arn"), r.getAs("stream_id"));
        pairs.putIfAbsent(id.key(), id);
      }
    }
    return pairs;
  }

  /**
   * Splits the ids into tasks ({@link FetchPlan}), prints the plan, runs {@code function} on each
   * task with progress lines while it runs, and collects the outcome rows (collected once: the
   * calls are not repeated). No ids, no job. {@code idsAre} names the ids in the job description
   * ("channels", "sessions").
   */
  private static List<Row> onExecutors(
      SparkSession spark,
      FetchOptions o,
      ClientSettings client,
      LakeFs fs,
      String lake,
      String runId,
      int slots,
      List<FetchId> ids,
      String idsAre,
      Function<
              WorkerConfig,
              Function2<Integer, java.util.Iterator<ArrayList<String[]>>, java.util.Iterator<Row>>>
          function,
      String op,
      Consumer<String> report) {
    if (ids.isEmpty()) {
      return List.of();
    }
    spark.sparkContext().setJobDescription("fetch: " + op + " for " + ids.size() + " " + idsAre);
    FetchPlan plan =
        FetchPlan.of(ids, slots, o.partitions(), o.quotaTps() * o.safety(), TASK_SECONDS);
    plan.describe(op, o.quotaTps()).forEach(report);
    SparkContext sc = spark.sparkContext();
    FetchProgress progress = new FetchProgress();
    sc.register(progress);
    warmUp(sc, client, plan);
    WorkerConfig cfg =
        new WorkerConfig(
            client,
            plan.rates(),
            plan.firstTasks(),
            plan.tasks(),
            o.backoff(),
            o.maxAttempts(),
            o.callTimeoutMillis(),
            fs,
            lake,
            runId,
            o.chunkRecords(),
            o.chunkFlushMillis(),
            toMillis(o.from()),
            toMillis(o.to()),
            o.quotaTps() * o.safety(),
            plan.concurrent(),
            progress,
            plan.predecessors(),
            LakePaths.child(LakePaths.child(lake, TASK_MARKERS), runId + "-" + progress.id()),
            TaskSlots.localSlots(sc.master(), 1) != null
                ? -1
                : System.currentTimeMillis() + FIRST_WAVE_LEAD_MILLIS);
    String tag = runId + "/" + op;
    sc.setLocalProperty(ProgressReporter.RUN_PROPERTY, tag);
    try (ProgressReporter ignored =
        ProgressReporter.start(
            sc,
            tag,
            op,
            plan,
            progress,
            o.quotaTps(),
            Math.round(o.progressIntervalSeconds() * 1000),
            report)) {
      JavaRDD<ArrayList<String[]>> rdd =
          JavaSparkContext.fromSparkContext(sc).parallelize(plan.slices(), plan.tasks());
      // The tasks return their outcome rows as they are: turning them into a DataFrame on the
      // executors would generate and compile code there after the last call, which on a fresh
      // executor JVM holds its task slot for seconds at the first task boundary. The driver gives
      // them their schema.
      List<Row> outcomes = rdd.mapPartitionsWithIndex(function.apply(cfg), true).collect();
      return spark.createDataFrame(outcomes, Outcomes.SCHEMA).collectAsList();
    } finally {
      sc.setLocalProperty(ProgressReporter.RUN_PROPERTY, null);
      try {
        fs.delete(cfg.taskMarkers());
        fs.deleteIfEmpty(LakePaths.child(lake, TASK_MARKERS));
      } catch (java.io.IOException e) {
        LOG.warn("cannot remove the fetch task markers {}: {}", cfg.taskMarkers(), e.toString());
      }
    }
  }

  /**
   * On a cluster the first wave's workers start their stagger this long after the driver submits
   * the fan-out: time for every executor to start its tasks (their clients are built already).
   */
  static final long FIRST_WAVE_LEAD_MILLIS = 1000;

  /** Where a fan-out's tasks mark their end for the task that follows each on its slot. */
  static final String TASK_MARKERS = "_fetch_tasks";

  /**
   * A fetch removes its task markers when its fan-out ends; a fetch that was killed leaves them.
   * Those of a run that started longer ago than this are removed by the next fetch into the lake.
   */
  static final java.time.Duration STALE_TASK_MARKERS = java.time.Duration.ofDays(1);

  /**
   * Removes the task-marker folders of runs that started more than {@link #STALE_TASK_MARKERS}
   * before {@code now} (a folder's name begins with its run id, which begins with the run's start
   * time; a folder with another name is left alone). A fetch still running is never that old: the
   * longest fan-out the quota allows over a day's ids ends well within it. Returns the folders
   * removed; a failure to list or remove is logged, not fatal.
   */
  static List<String> removeStaleTaskMarkers(LakeFs fs, String lake, java.time.Instant now) {
    String root = LakePaths.child(lake, TASK_MARKERS);
    List<String> removed = new ArrayList<>();
    try {
      for (String name : fs.listNames(root)) {
        java.time.Instant started = runStart(name);
        if (started != null && started.isBefore(now.minus(STALE_TASK_MARKERS))) {
          fs.delete(LakePaths.child(root, name));
          removed.add(name);
        }
      }
      if (!removed.isEmpty()) {
        LOG.info("removed the task markers of {} killed fetch(es): {}", removed.size(), removed);
        fs.deleteIfEmpty(root);
      }
    } catch (IOException e) {
      LOG.warn("cannot remove stale fetch task markers under {}: {}", root, e.toString());
    }
    return removed;
  }

  /** The start of the run a task-marker folder belongs to, or null when its name is no run id. */
  static java.time.Instant runStart(String folder) {
    String stamp = folder.length() < 16 ? folder : folder.substring(0, 16);
    try {
      return java.time.Instant.from(RUN_ID.parse(stamp));
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /**
   * Builds the clients of every account/region and resolves their credentials on the executors
   * before the fan-out: one task per slot, which Spark spreads over the executors. A fresh executor
   * JVM spends seconds loading the SDK and assuming roles; done here, every worker of the fan-out
   * starts calling on its staggered schedule at once, instead of the workers of a slower executor
   * starting late and leaving their share of the quota unused meanwhile. No IVS call is made.
   */
  private static void warmUp(SparkContext sc, ClientSettings client, FetchPlan plan) {
    ArrayList<String> groups = new ArrayList<>(plan.groups().keySet());
    List<Integer> tasks = java.util.stream.IntStream.range(0, plan.concurrent()).boxed().toList();
    String description = sc.getLocalProperty("spark.job.description");
    sc.setJobDescription(
        "fetch: clients for " + groups.size() + " account/region(s) on the executors");
    try {
      JavaSparkContext.fromSparkContext(sc)
          .parallelize(tasks, tasks.size())
          .foreachPartition(ignored -> groups.forEach(g -> IvsClients.warmUp(client, g)));
    } finally {
      sc.setJobDescription(description);
    }
  }

  /**
   * About how long one task calls at most. Progress reaches the driver with the executors'
   * heartbeats, so tasks need not end to report it. Each task boundary costs its slot the time
   * Spark takes to start the next task, and a task that Spark retries (a lost executor) repeats its
   * calls: 10 minutes keeps the first negligible and bounds the second.
   */
  static final double TASK_SECONDS = 600;

  private static long toMillis(java.time.LocalDate d) {
    return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** Every id this run answers for: the session pairs and the channels it listed. */
  private static Set<String> requestedKeys(Map<String, FetchId> pairs, List<Row> listed) {
    Set<String> keys = new HashSet<>(pairs.keySet());
    for (Row r : listed) {
      if (!Outcomes.DISCOVERED.equals(r.getAs("status"))) {
        keys.add(FetchId.key(r.getAs("channel_arn"), null));
      }
    }
    return keys;
  }

  private static List<Row> errorRows(List<Row> listed, List<Row> fetched) {
    List<Row> errors = new ArrayList<>();
    for (List<Row> outcomes : List.of(listed, fetched)) {
      for (Row r : outcomes) {
        if (Outcomes.ERROR.equals(r.getAs("status"))) {
          errors.add(errorRow(r));
        }
      }
    }
    return errors;
  }

  /** An outcome as a fetch_errors row (Schemas.FETCH_ERRORS without dt). */
  private static Row errorRow(Row r) {
    return RowFactory.create(
        r.getAs("channel_arn"),
        r.getAs("stream_id"),
        r.getAs("error_code"),
        r.getAs("http_status"),
        r.getAs("message"),
        r.getAs("attempts"),
        r.<Timestamp>getAs("fetched_at"));
  }

  private FetchStage() {}
}
