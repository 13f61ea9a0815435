package io.ivsanalytics.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivsanalytics.config.Settings;
import io.ivsanalytics.config.SparkSessions;
import io.ivsanalytics.ingest.FetchId;
import io.ivsanalytics.ingest.FetchOptions;
import io.ivsanalytics.ingest.FetchStage;
import io.ivsanalytics.ingest.FetchSummary;
import io.ivsanalytics.model.RawArchive;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.simulator.Fleet;
import io.ivsanalytics.simulator.FleetOptions;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import io.ivsanalytics.simulator.SimulatorOptions;
import io.ivsanalytics.simulator.SimulatorStats.QuotaWindow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ivs.IvsClient;

/**
 * GetStreamSession throughput of the fetch stage against the IVS simulator, side by side with the
 * naive way (one default SDK client called in a loop), on the same fleet and quota. Each variant
 * gets a fresh simulator. Throughput is measured by the simulator: GetStreamSession requests per
 * second between the first and the last request (Spark start-up and the rest of the stage are
 * reported separately).
 */
@Command(
    name = "bench-fetch",
    mixinStandardHelpOptions = true,
    description =
        "Fetch stage vs. a naive SDK loop against the IVS simulator; prints figures and PASS/FAIL.")
public final class FetchBenchmark implements Callable<Integer> {
  private static final String OP = "GetStreamSession";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The role the fetch stage assumes in each simulated account. */
  static final String ROLE_TEMPLATE = "arn:aws:iam::{account}:role/IvsAnalyticsRead";

  /**
   * The fleet (--seed --accounts --regions --channels --days --sessions-per-day --anchor), as in
   * simulate and demo.
   */
  @Mixin FleetOptions fleet = new FleetOptions();

  /**
   * The simulator's quota and latency (--tps --latency-ms --jitter-ms), as in simulate and demo.
   */
  @Mixin SimulatorOptions quota = new SimulatorOptions();

  @Option(
      names = "--ids-per-account-region",
      description =
          "Session ids taken from each account/region, the same number for each so that all quotas"
              + " are busy for the whole run (0 = every session of the fleet). Default:"
              + " ${DEFAULT-VALUE}.")
  int idsPerAccountRegion = 200;

  @Option(
      names = "--naive-order",
      description =
          "Order of the naive loop: 'file' (the ids file, grouped by channel) or"
              + " 'interleaved' (round-robin over the account/regions). Default: ${DEFAULT-VALUE}.")
  String naiveOrder = "file";

  @Option(
      names = "--work",
      description = "Work directory (ids file, lake). Default: a new temporary directory.")
  Path work;

  @Option(names = "--skip-naive", description = "Run the fetch stage only.")
  boolean skipNaive;

  @Option(
      names = "--partitions",
      split = ",",
      paramLabel = "P",
      description =
          "Partitions mode: run the fetch stage once per fetch.partitions value (auto = unset:"
              + " tasks sized by the stage) against a fresh simulator and print the share of the"
              + " quota per account/region and the throttles of each, against the task slots Spark"
              + " offers (local[*] = the cores; -Dspark.master=local[N] in IVS_ANALYTICS_JAVA_OPTS"
              + " for N). Example: auto,1,2,3,5.")
  List<String> partitionsSweep;

  @Option(
      names = "--accounts-scale",
      description =
          "Run the several-accounts section instead: the simulator's capacity at zero latency"
              + " beside the fleet's quota, then --scale-accounts x --scale-regions budgets fetched"
              + " through one role per account (uses --tps, --latency-ms, --work).")
  boolean accountsScale;

  @Option(names = "--scale-accounts", description = "Default: ${DEFAULT-VALUE}.")
  int scaleAccounts = 10;

  @Option(names = "--scale-regions", split = ",", description = "Default: ${DEFAULT-VALUE}.")
  List<String> scaleRegions = List.of("us-west-2", "us-east-1", "eu-west-1", "ap-northeast-1");

  @Option(
      names = "--scale-ids-per-budget",
      description = "Session ids per account/region. Default: ${DEFAULT-VALUE}.")
  int scaleIdsPerBudget = 100;

  @Option(
      names = "--client-threads",
      description = "Client threads of the zero-latency measurement. Default: ${DEFAULT-VALUE}.")
  int clientThreads = 8;

  @Option(
      names = "--client-seconds",
      description = "Length of each zero-latency measurement. Default: ${DEFAULT-VALUE}.")
  double clientSeconds = 3;

  /** The figures of one variant. */
  record Figures(
      String name,
      int requested,
      long fetched,
      long errors,
      long lost,
      long calls,
      long throttled,
      Map<String, QuotaWindow> windows,
      long otherMillis,
      String errorMix) {

    long spanMillis() {
      long first = windows.values().stream().mapToLong(QuotaWindow::firstMillis).min().orElse(0);
      long last = windows.values().stream().mapToLong(QuotaWindow::lastMillis).max().orElse(0);
      return last - first;
    }

    double callsPerSecond() {
      long span = spanMillis();
      return span <= 0 ? 0 : (calls - 1) * 1000.0 / span;
    }

    double answeredPerSecond() {
      long span = spanMillis();
      return span <= 0 ? 0 : Math.max(0, calls - throttled - 1) * 1000.0 / span;
    }

    double throttledPercent() {
      return calls == 0 ? 0 : 100.0 * throttled / calls;
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new FetchBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dir =
        work != null ? Files.createDirectories(work) : Files.createTempDirectory("bench-fetch");
    if (accountsScale) {
      return new AccountsBenchmark(
              scaleAccounts,
              scaleRegions,
              scaleIdsPerBudget,
              quota.tps,
              quota.latencyMs,
              clientThreads,
              clientSeconds,
              dir,
              System.out)
          .run();
    }
    SimulatorConfig config =
        quota.applyTo(fleet.applyTo(SimulatorConfig.builder().port(0), Clock.systemUTC())).build();
    if (!naiveOrder.equals("file") && !naiveOrder.equals("interleaved")) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--naive-order must be file or interleaved, got '" + naiveOrder + "'");
    }
    Path ids = dir.resolve("ids.csv");
    List<FetchId> requested;
    try (IvsSimulator sim = IvsSimulator.start(config)) {
      requested = select(sim.fleet());
    }
    writeIds(ids, requested);
    int groups = fleet.accounts.size() * fleet.regions.size();
    double totalQuota = quota.tps * groups;
    Map<String, Long> mix = new TreeMap<>();
    requested.forEach(id -> mix.merge(id.accountRegion(), 1L, Long::sum));
    long largest = mix.values().stream().mapToLong(Long::longValue).max().orElse(0);
    PrintStream out = System.out;
    out.printf(
        Locale.ROOT,
        "bench-fetch: %d GetStreamSession ids, %d account(s) x %d region(s), quota %.1f TPS each"
            + " (%.1f TPS total), latency %d ms + jitter up to %d ms, %d cores; work %s%n",
        requested.size(),
        fleet.accounts.size(),
        fleet.regions.size(),
        quota.tps,
        totalQuota,
        quota.latencyMs,
        quota.jitterMs,
        Runtime.getRuntime().availableProcessors(),
        dir);
    out.printf(
        Locale.ROOT,
        "ids per account/region: %s; at most %.2f calls/s for this mix (largest share / quota)%n",
        mix,
        largest == 0 ? 0 : requested.size() * quota.tps / largest);

    if (partitionsSweep != null && !partitionsSweep.isEmpty()) {
      return partitionsSweep(out, config, dir, ids, requested);
    }
    long sparkStart = System.nanoTime();
    SparkSession spark = SparkSessions.create("bench-fetch");
    long sparkMillis = (System.nanoTime() - sparkStart) / 1_000_000;
    Figures job;
    FetchSummary summary;
    try (IvsSimulator sim = IvsSimulator.start(config)) {
      Path lake = dir.resolve("lake");
      FetchOptions options =
          fleetFetch(config, sim, ids, lake.toString())
              .quotaTps(quota.tps)
              .roleArn(ROLE_TEMPLATE)
              .build();
      long t0 = System.nanoTime();
      summary = FetchStage.run(spark, options);
      long stageMillis = (System.nanoTime() - t0) / 1_000_000;
      job = jobFigures(spark, lake, requested, summary, sim, stageMillis);
    } finally {
      spark.stop();
    }
    out.println();
    out.println("fetch stage summary:");
    summary.print(out);

    Figures naive = null;
    if (!skipNaive) {
      try (IvsSimulator sim = IvsSimulator.start(config)) {
        naive = naive(sim, requested);
      }
    }
    out.println();
    print(out, job, naive, sparkMillis, totalQuota, groups);
    boolean pass =
        job.callsPerSecond() >= 0.95 * totalQuota
            && job.lost() == 0
            && job.throttledPercent() <= 2.0;
    return pass ? 0 : 1;
  }

  /** One run of the partitions mode. */
  record SweepRun(
      String partitions,
      int slots,
      int tasks,
      Map<String, QuotaWindow> windows,
      long calls,
      long throttled,
      long errors,
      long lost,
      double spanSeconds) {
    double minShare(double tps) {
      return windows.values().stream()
          .mapToDouble(w -> w.requestsPerSecond() / tps)
          .min()
          .orElse(0);
    }

    double maxShare(double tps) {
      return windows.values().stream()
          .mapToDouble(w -> w.requestsPerSecond() / tps)
          .max()
          .orElse(0);
    }
  }

  private static final java.util.regex.Pattern PLAN =
      java.util.regex.Pattern.compile("plan GetStreamSession: .* (\\d+) task slots, (\\d+) tasks");

  /**
   * The fetch stage once per fetch.partitions value, each against a fresh simulator in one Spark
   * session: GetStreamSession calls per second per account/region as the simulator measured them
   * (first to last request), as a share of the quota, and the 429s; PASS when every account/region
   * reaches 95 % of the quota with no throttle and no id lost.
   */
  private int partitionsSweep(
      PrintStream out, SimulatorConfig config, Path dir, Path ids, List<FetchId> requested)
      throws IOException {
    SparkSession spark = SparkSessions.create("bench-fetch");
    List<SweepRun> runs = new ArrayList<>();
    try {
      out.printf(
          Locale.ROOT,
          "partitions mode: master %s, fetch.partitions %s%n",
          spark.sparkContext().master(),
          partitionsSweep);
      warmUp(spark, config, dir, requested);
      for (String p : partitionsSweep) {
        Integer partitions = p.equals("auto") ? null : Integer.valueOf(p);
        try (IvsSimulator sim = IvsSimulator.start(config)) {
          Path lake = dir.resolve("lake-partitions-" + p);
          FetchOptions options =
              fleetFetch(config, sim, ids, lake.toString())
                  .roleArn(ROLE_TEMPLATE)
                  .quotaTps(quota.tps)
                  .partitions(partitions)
                  .build();
          int[] slotsAndTasks = {0, 0};
          out.printf(Locale.ROOT, "%n-- fetch.partitions %s%n", p);
          FetchSummary summary =
              FetchStage.run(
                  spark,
                  options,
                  line -> {
                    out.println(line);
                    java.util.regex.Matcher m = PLAN.matcher(line);
                    if (m.find()) {
                      slotsAndTasks[0] = Integer.parseInt(m.group(1));
                      slotsAndTasks[1] = Integer.parseInt(m.group(2));
                    }
                  });
          Figures f = jobFigures(spark, lake, requested, summary, sim, summary.elapsedMillis());
          runs.add(
              new SweepRun(
                  p,
                  slotsAndTasks[0],
                  slotsAndTasks[1],
                  f.windows(),
                  f.calls(),
                  f.throttled(),
                  f.errors(),
                  f.lost(),
                  f.spanMillis() / 1000.0));
        }
      }
    } finally {
      spark.stop();
    }
    out.println();
    out.printf(
        Locale.ROOT,
        "GetStreamSession per account/region as the simulator measured it (first to last call),"
            + " quota %s TPS, %d ids per account/region%n",
        quota.tps,
        idsPerAccountRegion);
    Set<String> groups = new java.util.TreeSet<>();
    runs.forEach(r -> groups.addAll(r.windows().keySet()));
    StringBuilder head =
        new StringBuilder(
            String.format(
                Locale.ROOT, "%-16s %5s %5s %-7s", "fetch.partitions", "slots", "tasks", "vs"));
    groups.forEach(g -> head.append(String.format(Locale.ROOT, " %23s", g)));
    head.append(
        String.format(Locale.ROOT, " %9s %6s %5s %8s", "throttled", "errors", "lost", "span s"));
    out.println(head);
    boolean pass = true;
    for (SweepRun r : runs) {
      String vs =
          r.tasks() < r.slots() ? "< slots" : r.tasks() == r.slots() ? "= slots" : "> slots";
      StringBuilder row =
          new StringBuilder(
              String.format(
                  Locale.ROOT, "%-16s %5d %5d %-7s", r.partitions(), r.slots(), r.tasks(), vs));
      for (String g : groups) {
        QuotaWindow w = r.windows().get(g);
        row.append(
            w == null
                ? String.format(Locale.ROOT, " %23s", "-")
                : String.format(
                    Locale.ROOT,
                    " %14.2f (%5.1f%%)",
                    w.requestsPerSecond(),
                    100 * w.requestsPerSecond() / quota.tps));
      }
      row.append(
          String.format(
              Locale.ROOT,
              " %9d %6d %5d %8.1f",
              r.throttled(),
              r.errors(),
              r.lost(),
              r.spanSeconds()));
      out.println(row);
      pass &=
          r.minShare(quota.tps) >= 0.95
              && r.throttled() == 0
              && r.errors() == 0
              && r.lost() == 0
              && r.windows().size() == groups.size();
    }
    for (SweepRun r : runs) {
      out.printf(
          Locale.ROOT,
          "target fetch.partitions %-5s (%d tasks, %d slots): every account/region >= 95%% of the"
              + " quota (min %.1f%%, max %.1f%%): %s; 0 throttled: %s; every id fetched (0 errors,"
              + " 0 lost): %s%n",
          r.partitions(),
          r.tasks(),
          r.slots(),
          100 * r.minShare(quota.tps),
          100 * r.maxShare(quota.tps),
          verdict(r.minShare(quota.tps) >= 0.95),
          verdict(r.throttled() == 0),
          verdict(r.errors() == 0 && r.lost() == 0));
    }
    return pass ? 0 : 1;
  }

  /**
   * A short fetch at a high quota before the measured runs (not counted): the first tasks of a JVM
   * load the SDK and build its clients, which would otherwise delay the first run's lanes.
   */
  private void warmUp(SparkSession spark, SimulatorConfig config, Path dir, List<FetchId> requested)
      throws IOException {
    long t0 = System.nanoTime();
    try (IvsSimulator sim = IvsSimulator.start(config)) {
      sim.knobs().tps(1000);
      Path ids = dir.resolve("warm-up-ids.csv");
      writeIds(ids, requested.subList(0, Math.min(40, requested.size())));
      FetchStage.run(
          spark,
          fleetFetch(config, sim, ids, dir.resolve("lake-warm-up").toString())
              .roleArn(ROLE_TEMPLATE)
              .quotaTps(1000)
              .progressIntervalSeconds(0)
              .build(),
          line -> {});
    }
    System.out.printf(
        Locale.ROOT,
        "warm-up fetch of 40 ids (JVM warm-up, not counted): %.1f s%n",
        (System.nanoTime() - t0) / 1e9);
  }

  /** The fleet's session ids in fleet order, the first N of each account/region. */
  private List<FetchId> select(Fleet fleet) {
    Map<String, Integer> taken = new TreeMap<>();
    List<FetchId> ids = new ArrayList<>();
    for (Fleet.Channel c : fleet.channels()) {
      for (Fleet.Session s : c.sessions()) {
        FetchId id = new FetchId(c.arn(), s.streamId());
        int n = taken.merge(id.accountRegion(), 1, Integer::sum);
        if (idsPerAccountRegion == 0 || n <= idsPerAccountRegion) {
          ids.add(id);
        }
      }
    }
    if (idsPerAccountRegion > 0) {
      taken.forEach(
          (ar, n) -> {
            if (n < idsPerAccountRegion) {
              throw new CommandLine.ParameterException(
                  new CommandLine(this),
                  String.format(
                      Locale.ROOT,
                      "%s has %d sessions, fewer than --ids-per-account-region %d: raise --days or"
                          + " --sessions-per-day",
                      ar,
                      n,
                      idsPerAccountRegion));
            }
          });
    }
    return ids;
  }

  private static void writeIds(Path file, List<FetchId> ids) throws IOException {
    StringBuilder sb = new StringBuilder("channel_arn,stream_id\n");
    ids.forEach(id -> sb.append(id.channelArn()).append(',').append(id.streamId()).append('\n'));
    Files.writeString(file, sb, StandardCharsets.UTF_8);
  }

  /** Round-robin over the account/regions, each keeping its own order. */
  private static List<FetchId> interleaved(List<FetchId> ids) {
    Map<String, List<FetchId>> byGroup = new TreeMap<>();
    ids.forEach(id -> byGroup.computeIfAbsent(id.accountRegion(), k -> new ArrayList<>()).add(id));
    List<FetchId> out = new ArrayList<>();
    for (int i = 0; out.size() < ids.size(); i++) {
      for (List<FetchId> g : byGroup.values()) {
        if (i < g.size()) {
          out.add(g.get(i));
        }
      }
    }
    return out;
  }

  private static Figures jobFigures(
      SparkSession spark,
      Path lake,
      List<FetchId> requested,
      FetchSummary summary,
      IvsSimulator sim,
      long stageMillis)
      throws IOException {
    Set<String> archived = archivedKeys(lake.resolve(RawArchive.DIR));
    Set<String> errors = new HashSet<>();
    Path errorsDir = lake.resolve(Schemas.Table.FETCH_ERRORS.dirName());
    if (Files.isDirectory(errorsDir)) {
      for (Row r :
          spark
              .read()
              .parquet(errorsDir.toString())
              .select("channel_arn", "stream_id")
              .collectAsList()) {
        errors.add(FetchId.key(r.getString(0), r.getString(1)));
      }
    }
    long lost =
        requested.stream()
            .filter(id -> !archived.contains(id.key()) && !errors.contains(id.key()))
            .count();
    long fetched = requested.stream().filter(id -> archived.contains(id.key())).count();
    String mix = summary.errorsByCode().isEmpty() ? "" : summary.errorsByCode().toString();
    return new Figures(
        "fetch stage",
        requested.size(),
        fetched,
        errors.size(),
        lost,
        sim.stats().requests(OP),
        sim.stats().throttled(OP),
        sim.stats().quotaWindows(OP),
        stageMillis,
        mix);
  }

  /** (channel ARN, stream id) keys of every response line in the raw archive. */
  private static Set<String> archivedKeys(Path raw) throws IOException {
    Set<String> keys = new HashSet<>();
    if (!Files.isDirectory(raw)) {
      return keys;
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(raw)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(RawArchive.FILE_SUFFIX)).toList();
    }
    for (Path f : files) {
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          JsonNode s = JSON.readTree(line).path(RawArchive.STREAM_SESSION);
          keys.add(
              FetchId.key(s.path("channel").path("arn").asText(), s.path("streamId").asText()));
        }
      }
    }
    return keys;
  }

  /**
   * One default SDK client per account (default retry policy, keys of that account), one call after
   * the other, in the ids file's order.
   */
  private Figures naive(IvsSimulator sim, List<FetchId> requested) {
    long fetched = 0;
    TreeMap<String, Long> exceptions = new TreeMap<>();
    Map<String, IvsClient> clients = new TreeMap<>();
    long t0 = System.nanoTime();
    try {
      for (FetchId id : naiveOrder.equals("file") ? requested : interleaved(requested)) {
        String account = id.accountRegion().substring(0, id.accountRegion().indexOf('/'));
        IvsClient client =
            clients.computeIfAbsent(
                account,
                a ->
                    IvsClient.builder()
                        .region(Region.of(fleet.regions.get(0)))
                        .endpointOverride(sim.endpoint())
                        .credentialsProvider(
                            StaticCredentialsProvider.create(
                                AwsBasicCredentials.create("AKIA" + a, "local")))
                        .build());
        try {
          client.getStreamSession(b -> b.channelArn(id.channelArn()).streamId(id.streamId()));
          fetched++;
        } catch (SdkException e) {
          exceptions.merge(e.getClass().getSimpleName(), 1L, Long::sum);
        }
      }
    } finally {
      clients.values().forEach(IvsClient::close);
    }
    long loopMillis = (System.nanoTime() - t0) / 1_000_000;
    long failed = exceptions.values().stream().mapToLong(Long::longValue).sum();
    return new Figures(
        "naive SDK loop (" + naiveOrder + ")",
        requested.size(),
        fetched,
        failed,
        failed,
        sim.stats().requests(OP),
        sim.stats().throttled(OP),
        sim.stats().quotaWindows(OP),
        loopMillis,
        exceptions.isEmpty() ? "" : exceptions.toString());
  }

  private void print(
      PrintStream out,
      Figures job,
      Figures naive,
      long sparkMillis,
      double totalQuota,
      int groups) {
    List<Figures> cols = naive == null ? List.of(job) : List.of(job, naive);
    String row = "%-44s" + " %22s".repeat(cols.size()) + "%n";
    out.printf(Locale.ROOT, row, header(cols));
    line(out, row, "ids requested", cols, f -> String.valueOf(f.requested()));
    line(out, row, "fetched", cols, f -> String.valueOf(f.fetched()));
    line(
        out, row, "errors (fetch_errors rows / exceptions)", cols, f -> String.valueOf(f.errors()));
    line(out, row, "lost (no archive line, no error row)", cols, f -> String.valueOf(f.lost()));
    line(out, row, "GetStreamSession calls (simulator)", cols, f -> String.valueOf(f.calls()));
    line(
        out,
        row,
        "throttled (429)",
        cols,
        f -> String.format(Locale.ROOT, "%d (%.2f%%)", f.throttled(), f.throttledPercent()));
    line(
        out,
        row,
        "first to last call, s",
        cols,
        f -> String.format(Locale.ROOT, "%.1f", f.spanMillis() / 1000.0));
    line(
        out,
        row,
        "achieved calls/s, total",
        cols,
        f ->
            String.format(
                Locale.ROOT,
                "%.2f (%.1f%%)",
                f.callsPerSecond(),
                100 * f.callsPerSecond() / totalQuota));
    line(
        out,
        row,
        "  of which answered (not 429)",
        cols,
        f -> String.format(Locale.ROOT, "%.2f", f.answeredPerSecond()));
    Set<String> ars = new java.util.TreeSet<>();
    cols.forEach(f -> ars.addAll(f.windows().keySet()));
    for (String ar : ars) {
      line(
          out,
          row,
          "  " + ar,
          cols,
          f -> {
            QuotaWindow w = f.windows().get(ar);
            return w == null
                ? "-"
                : String.format(
                    Locale.ROOT,
                    "%.2f (%.1f%%)",
                    w.requestsPerSecond(),
                    100 * w.requestsPerSecond() / quota.tps);
          });
    }
    line(
        out,
        row,
        "whole stage / loop, s",
        cols,
        f -> String.format(Locale.ROOT, "%.1f", f.otherMillis() / 1000.0));
    out.printf(
        Locale.ROOT,
        row,
        withCells(
            "Spark start-up, s (not in the above)",
            cols.size() == 2
                ? List.of(String.format(Locale.ROOT, "%.1f", sparkMillis / 1000.0), "-")
                : List.of(String.format(Locale.ROOT, "%.1f", sparkMillis / 1000.0))));
    for (Figures f : cols) {
      if (!f.errorMix().isEmpty()) {
        out.printf(Locale.ROOT, "%s errors: %s%n", f.name(), f.errorMix());
      }
    }
    if (naive != null) {
      out.printf(
          Locale.ROOT,
          "ratio fetch stage / naive: achieved calls/s %.2fx, answered calls/s %.2fx,"
              + " first-to-last-call time %.2fx shorter%n",
          job.callsPerSecond() / naive.callsPerSecond(),
          job.answeredPerSecond() / naive.answeredPerSecond(),
          (double) naive.spanMillis() / job.spanMillis());
    }
    out.printf(
        Locale.ROOT,
        "targets (fetch stage): calls/s >= 95%% of %.1f: %s; lost = 0: %s; throttled <= 2%%: %s%n",
        totalQuota,
        verdict(job.callsPerSecond() >= 0.95 * totalQuota),
        verdict(job.lost() == 0),
        verdict(job.throttledPercent() <= 2.0));
    if (naive != null) {
      out.printf(
          Locale.ROOT,
          "targets (naive loop):  calls/s >= 95%% of %.1f: %s; lost = 0: %s; throttled <= 2%%:"
              + " %s%n",
          totalQuota,
          verdict(naive.callsPerSecond() >= 0.95 * totalQuota),
          verdict(naive.lost() == 0),
          verdict(naive.throttledPercent() <= 2.0));
    }
  }

  private static String verdict(boolean ok) {
    return ok ? "PASS" : "FAIL";
  }

  private static Object[] header(List<Figures> cols) {
    List<String> cells = new ArrayList<>();
    cols.forEach(f -> cells.add(f.name()));
    return withCells("", cells);
  }

  private static Object[] withCells(String label, List<String> cells) {
    Object[] a = new Object[cells.size() + 1];
    a[0] = label;
    for (int i = 0; i < cells.size(); i++) {
      a[i + 1] = cells.get(i);
    }
    return a;
  }

  private static void line(
      PrintStream out,
      String row,
      String label,
      List<Figures> cols,
      java.util.function.Function<Figures, String> cell) {
    out.printf(Locale.ROOT, row, withCells(label, cols.stream().map(cell).toList()));
  }

  /**
   * A fetch of {@code ids} from the simulator into {@code lake}, over the days the simulated fleet
   * covers (from the day before its first day to the day after its anchor).
   */
  private static FetchOptions.Builder fleetFetch(
      SimulatorConfig config, IvsSimulator sim, Path ids, String lake) {
    return FetchOptions.builder(Settings.load(null))
        .idsFile(ids)
        .lake(lake)
        .endpoint(sim.endpoint().toString())
        .from(
            LocalDate.ofInstant(
                config.fleet().anchor().minus(config.fleet().days() + 1L, ChronoUnit.DAYS),
                ZoneOffset.UTC))
        .to(LocalDate.ofInstant(config.fleet().anchor().plus(1, ChronoUnit.DAYS), ZoneOffset.UTC));
  }
}
