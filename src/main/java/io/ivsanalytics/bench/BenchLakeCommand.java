package io.ivsanalytics.bench;

import io.ivsanalytics.config.Settings;
import io.ivsanalytics.config.SparkSessions;
import io.ivsanalytics.flatten.FlattenResult;
import io.ivsanalytics.flatten.FlattenStage;
import io.ivsanalytics.lake.LocalFiles;
import io.ivsanalytics.model.RawArchive;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import io.ivsanalytics.model.report.ReportSummary;
import io.ivsanalytics.output.ReportFolder;
import io.ivsanalytics.reports.ReportStage;
import io.ivsanalytics.simulator.RawArchiveGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.util.QueryExecutionListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ivs-analytics-bench bench-lake} ({@link BenchMain}): the flatten/report benchmark behind
 * {@code jobs/bench-lake}. Generates (once, then reuses) synthetic raw archives of a small and a
 * large number of sessions, flattens both, runs the obvious alternative ({@link NaiveFlatten}) on
 * the large one, compares row counts, runs the report stage over the large lake (a 7-day window and
 * the whole range) and prints the figures with PASS/FAIL per target.
 */
@Command(
    name = "bench-lake",
    mixinStandardHelpOptions = true,
    description = "Flatten and report benchmark on synthetic raw archives (see jobs/bench-lake).")
public final class BenchLakeCommand implements Callable<Integer> {
  /** Fixed so cached archives and report windows are the same on every run. */
  static final LocalDate ANCHOR = LocalDate.of(2024, 6, 1);

  static final int DAYS = 30;
  static final long SEED = 1;
  static final int INCREMENT_DAYS = 7;

  @Spec CommandSpec spec;

  @Option(
      names = "--work",
      description = "Work directory (archives, lakes, reports). Default: ${DEFAULT-VALUE}.")
  Path work = Path.of("bench");

  @Option(names = "--small", description = "Sessions of the small run. Default: ${DEFAULT-VALUE}.")
  long small = 100_000;

  @Option(names = "--large", description = "Sessions of the large run. Default: ${DEFAULT-VALUE}.")
  long large = 1_000_000;

  @Option(
      names = "--skip-baseline",
      description = "Do not run the read.json + explode alternative.")
  boolean skipBaseline;

  @Option(
      names = "--mid",
      description =
          "Sessions of the mid-sized whole-process run against DuckDB. Default: ${DEFAULT-VALUE}.")
  long mid = 300_000;

  @Option(
      names = "--skip-duckdb",
      description = "Do not run the whole-process comparison with the DuckDB script.")
  boolean skipDuckdb;

  @Option(
      names = "--skip-increment",
      description = "Do not run the 7-day increment into the large lake.")
  boolean skipIncrement;

  @Option(
      names = "--report-only",
      description = "Only the report command against DuckDB, on the existing large lake.")
  boolean reportOnly;

  private final List<String> lines = new ArrayList<>();
  private final Map<String, Boolean> verdicts = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    Locale.setDefault(Locale.ROOT);
    Files.createDirectories(work);
    if (reportOnly) {
      reportAgainstDuckDb(work.resolve("lake-" + large));
      return printFigures();
    }
    Path smallRaw = archive(small);
    Path largeRaw = archive(large);
    // The 7 days after the large archive, at the same number of sessions per day.
    long incrementSessions = large * INCREMENT_DAYS / DAYS;
    Path incrementRaw =
        skipIncrement
            ? null
            : archive(
                "raw-" + large + "-next-" + INCREMENT_DAYS + "d",
                incrementSessions,
                ANCHOR.plusDays(INCREMENT_DAYS),
                INCREMENT_DAYS,
                SEED + 1);

    SparkSession spark = SparkSessions.create("bench-lake");
    spark.conf().set("spark.sql.maxMetadataStringLength", "10000");
    HeapWatch heap = new HeapWatch();
    heap.start();
    try {
      int cores = Runtime.getRuntime().availableProcessors();
      say(
          "machine: %d cores, master %s, driver max heap %s",
          cores, spark.sparkContext().master(), mb(Runtime.getRuntime().maxMemory()));

      // JIT and Spark code generation warm up first, so the small run is not charged for them.
      Path warmLake = fresh(work.resolve("lake-warmup"));
      double tWarm =
          timed(() -> FlattenStage.run(spark, List.of(smallRaw.toString()), warmLake.toString()));
      say("flatten %,d sessions (JVM warm-up, not counted): %.1f s", small, tWarm);
      fresh(warmLake);

      Path smallLake = fresh(work.resolve("lake-" + small));
      double tSmall =
          timed(() -> FlattenStage.run(spark, List.of(smallRaw.toString()), smallLake.toString()));
      say("flatten %,d sessions: %.1f s = %,.0f sessions/s", small, tSmall, small / tSmall);

      Path largeLake = fresh(work.resolve("lake-" + large));
      FlattenResult[] result = new FlattenResult[1];
      double tLarge =
          timed(
              () ->
                  result[0] =
                      FlattenStage.run(spark, List.of(largeRaw.toString()), largeLake.toString()));
      say(
          "flatten %,d sessions: %.1f s = %,.0f sessions/s (%s)",
          large, tLarge, large / tLarge, result[0].rowsPerTable().toString());
      double perSession = (tLarge / large) / (tSmall / small);
      say(
          "scaling %,d -> %,d sessions: time x%.2f for x%.0f sessions (per-session cost ratio"
              + " %.2f)",
          small, large, tLarge / tSmall, (double) large / small, perSession);
      verdict(
          "time grows no worse than linearly (per-session cost ratio <= 1.00)", perSession <= 1.0);

      Map<Table, Long> ours = counts(spark, largeLake);
      if (!skipBaseline) {
        Path baseLake = fresh(work.resolve("lake-" + large + "-baseline"));
        double tBase =
            timed(() -> NaiveFlatten.run(spark, largeRaw.toString(), baseLake.toString()));
        say(
            "baseline read.json (inference) + explode, %,d sessions: %.1f s = %,.0f sessions/s",
            large, tBase, large / tBase);
        Map<Table, Long> theirs = counts(spark, baseLake);
        say("row counts flatten  %s", ours);
        say("row counts baseline %s", theirs);
        double speedup = tBase / tLarge;
        say("flatten is %.2fx faster than the baseline", speedup);
        verdict("flatten >= 3x faster than read.json + explode", speedup >= 3.0);
        verdict("identical row counts per table", ours.equals(theirs));
      }

      if (!skipIncrement) {
        // The weekly run: the next 7 days into an empty lake, then into the lake holding the 30
        // days before.
        Path emptyLake =
            fresh(work.resolve("lake-" + large + "-next-" + INCREMENT_DAYS + "d-alone"));
        FlattenResult[] alone = new FlattenResult[1];
        double tAlone =
            timed(
                () ->
                    alone[0] =
                        FlattenStage.run(
                            spark, List.of(incrementRaw.toString()), emptyLake.toString()));
        say(
            "flatten %d-day increment (%,d sessions) into an empty lake: %.1f s",
            INCREMENT_DAYS, alone[0].sessions(), tAlone);
        FlattenResult[] onto = new FlattenResult[1];
        double tOnto =
            timed(
                () ->
                    onto[0] =
                        FlattenStage.run(
                            spark, List.of(incrementRaw.toString()), largeLake.toString()));
        say(
            "flatten the same increment into the lake holding the previous %d days (%,d sessions):"
                + " %.1f s (%s)",
            DAYS, large, tOnto, onto[0].rowsPerTable().toString());
        double ratio = tOnto / tAlone;
        say("increment into the %d-day lake / into an empty lake: %.2fx", DAYS, ratio);
        verdict(
            "7-day increment into a 30-day lake <= 1.25x the same into an empty lake",
            ratio <= 1.25);
        verdict(
            "the increment adds its rows", onto[0].rowsPerTable().equals(alone[0].rowsPerTable()));
      }

      Settings settings = Settings.load(null);
      LocalDate first = ANCHOR.minusDays(DAYS);
      List<String> scans = new ArrayList<>();
      ScanCollector collector = new ScanCollector(scans);
      spark.listenerManager().register(collector);
      long lakeBytes = treeBytes(largeLake);
      for (LocalDate[] w :
          List.of(new LocalDate[] {ANCHOR.minusDays(7), ANCHOR}, new LocalDate[] {first, ANCHOR})) {
        scans.clear();
        Path out = work.resolve("report-" + large + "-" + w[0] + "-" + w[1]);
        ReportSummary[] s = new ReportSummary[1];
        double t =
            timed(
                () ->
                    s[0] =
                        ReportFolder.write(
                            ReportStage.run(spark, largeLake.toString(), w[0], w[1], settings),
                            out));
        say(
            "report %s..%s over %,d-session lake (%s): %.1f s (%,d sessions in window)",
            w[0], w[1].minusDays(1), large, mb(lakeBytes), t, s[0].sessions());
        for (String scan : new TreeSet<>(scans)) {
          say("  scan %s", scan);
        }
        verdict(
            "report " + w[0] + ".." + w[1].minusDays(1) + " well under a minute (< 30 s)", t < 30);
      }
      spark.listenerManager().unregister(collector);
      reportAgainstDuckDb(largeLake);

      heap.stop();
      say(
          "driver heap (Spark runs in the driver JVM): max %s, peak used %s (sampled, incl."
              + " garbage), GC %d collections %.1f s",
          mb(Runtime.getRuntime().maxMemory()), mb(heap.peakUsed), gcCount(), gcSeconds());
      verdict(
          "1M run within the launcher's default 2 GB driver heap",
          Runtime.getRuntime().maxMemory() <= 2L * 1024 * 1024 * 1024 + (64L << 20));
    } finally {
      heap.stop();
      spark.stop();
    }
    if (!skipDuckdb) {
      Path midRaw = archive(mid);
      recordLauncherArchive(midRaw);
      wholeProcessAgainstDuckdb(midRaw, mid, 1.0);
      wholeProcessAgainstDuckdb(largeRaw, large, 0.8);
    }
    return printFigures();
  }

  private int printFigures() {
    PrintWriter out = spec.commandLine().getOut();
    out.println();
    out.println("==== bench-lake ====");
    lines.forEach(out::println);
    verdicts.forEach((k, v) -> out.printf(Locale.ROOT, "%s  %s%n", v ? "PASS" : "FAIL", k));
    out.flush();
    return verdicts.containsValue(false) ? 1 : 0;
  }

  /**
   * The launcher's first run of {@code flatten} after a build records the command's class archive
   * (jobs/ivs-analytics); the timed runs are later runs, as every scheduled run is. This one
   * flattens one day of {@code raw} into a scratch lake, untimed.
   */
  private void recordLauncherArchive(Path raw) throws IOException, InterruptedException {
    Path day;
    try (Stream<Path> s = Files.list(raw)) {
      day = s.filter(Files::isDirectory).sorted().findFirst().orElse(raw);
    }
    Path lake = fresh(work.resolve("lake-launcher-first-run"));
    boolean recording = !Files.exists(Path.of("target", "cds", "flatten.jsa"));
    double t =
        process(
            List.of(
                "jobs/ivs-analytics",
                "flatten",
                "--raw",
                day.toString(),
                "--lake",
                lake.toString()),
            work.resolve("flatten-launcher-first-run.log"));
    say(
        "launcher's flatten of one day, not timed (%s): %.1f s",
        recording ? "the first after the build, it records the class archive" : "archive recorded",
        t);
    fresh(lake);
  }

  /**
   * {@code flatten} as a whole process (the launcher, its JVM and Spark start included) against
   * {@code jobs/duckdb-flatten.py}, a plain DuckDB script writing the same four tables from the
   * same archive: {@link #PROCESS_RUNS} alternating runs of each, best against best.
   */
  private void wholeProcessAgainstDuckdb(Path raw, long sessions, double target)
      throws IOException, InterruptedException {
    Path python = Path.of(".venv", "bin", "python");
    if (!Files.isExecutable(python)) {
      say(
          "whole process vs DuckDB at %,d sessions: skipped, no .venv (run jobs/setup-test-tools)",
          sessions);
      verdict("flatten process <= " + target + "x DuckDB at " + sessions + " sessions", false);
      return;
    }
    // The two alternate, each on a fresh lake, and each side's best run counts: on a shared
    // machine one run of either moves by seconds.
    List<Double> tOurs = new ArrayList<>();
    List<Double> tDuck = new ArrayList<>();
    for (int run = 0; run < PROCESS_RUNS; run++) {
      Path ourLake = fresh(work.resolve("lake-" + sessions + "-process"));
      Path duckLake = fresh(work.resolve("lake-" + sessions + "-duckdb"));
      tOurs.add(
          process(
              List.of(
                  "jobs/ivs-analytics",
                  "flatten",
                  "--raw",
                  raw.toString(),
                  "--lake",
                  ourLake.toString()),
              work.resolve("flatten-" + sessions + ".log")));
      tDuck.add(
          process(
              List.of(
                  python.toString(), "jobs/duckdb-flatten.py", raw.toString(), duckLake.toString()),
              work.resolve("duckdb-" + sessions + ".log")));
    }
    double bestOurs = tOurs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double bestDuck = tDuck.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    say(
        "whole process at %,d sessions, %d alternating runs each: flatten %s s, DuckDB script %s"
            + " s; best %.1f s against %.1f s: %.2fx",
        sessions,
        PROCESS_RUNS,
        times(tOurs),
        times(tDuck),
        bestOurs,
        bestDuck,
        bestOurs / bestDuck);
    List<String> ours = new ArrayList<>();
    for (String line : Files.readAllLines(work.resolve("flatten-" + sessions + ".log"))) {
      if (line.matches("(sessions|tracks|events|recording_settings) .*")) {
        ours.add(line.replaceAll("\\s+", " ").strip());
      }
    }
    say(
        "row counts flatten %s; DuckDB %s",
        ours, Files.readString(work.resolve("duckdb-" + sessions + ".log")).strip());
    verdict(
        String.format(
            Locale.ROOT,
            "flatten process <= %.1fx the DuckDB script at %,d sessions",
            target,
            sessions),
        bestOurs / bestDuck <= target);
  }

  /**
   * The report command as a whole process (JVM, Spark start, every report, report.html) over the
   * large lake's last 7 days, against a plain DuckDB computation of the three contract reports on
   * the same Parquet files (jobs/duckdb-reports.py, also a whole process). Each runs {@link
   * #PROCESS_RUNS} times; the fastest run counts. The contract columns of both must be equal.
   */
  private void reportAgainstDuckDb(Path lake) throws IOException, InterruptedException {
    if (!Files.isDirectory(lake.resolve(Table.SESSIONS.dirName()))) {
      throw new IllegalStateException(
          "no lake at " + lake + ": run bench-lake without --report-only first");
    }
    LocalDate from = ANCHOR.minusDays(7);
    String window = from + ".." + ANCHOR.minusDays(1);
    Path ours = work.resolve("report-process-" + from + "-" + ANCHOR);
    Path duck = work.resolve("report-duckdb-" + from + "-" + ANCHOR);
    List<Double> reportTimes = new ArrayList<>();
    List<Double> duckTimes = new ArrayList<>();
    String duckSays = "";
    for (int i = 0; i < PROCESS_RUNS; i++) {
      reportTimes.add(
          process(
              List.of(
                  "jobs/ivs-analytics",
                  "report",
                  "--lake",
                  lake.toString(),
                  "--from",
                  from.toString(),
                  "--to",
                  ANCHOR.toString(),
                  "--out",
                  ours.toString()),
              work.resolve("report-process.log")));
      duckTimes.add(
          process(
              List.of(
                  ".venv/bin/python",
                  "jobs/duckdb-reports.py",
                  lake.toString(),
                  from.toString(),
                  ANCHOR.toString(),
                  limitsFile(),
                  duck.toString()),
              work.resolve("report-duckdb.log")));
      duckSays = Files.readString(work.resolve("report-duckdb.log")).strip();
    }
    double tReport = reportTimes.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double tDuck = duckTimes.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    say(
        "report command %s (whole process, every report + report.html + summary.json): %s s, best"
            + " %.1f s",
        window, times(reportTimes), tReport);
    say(
        "DuckDB %s, the three contract reports (whole process: python + duckdb): %s s, best %.1f s;"
            + " last run: %s",
        window, times(duckTimes), tDuck, duckSays);
    say("report command / DuckDB = %.1fx", tReport / tDuck);
    List<String> differences = new ArrayList<>();
    for (String file :
        List.of(
            "takeover_failure_rates.csv", "codec_distribution.csv", "bitrate_conformance.csv")) {
      List<List<String>> theirs = csvRows(duck.resolve(file));
      List<List<String>> mine = csvRows(ours.resolve(file));
      int width = theirs.isEmpty() ? 0 : theirs.get(0).size();
      List<List<String>> prefix =
          mine.stream().map(r -> r.subList(0, Math.min(width, r.size()))).toList();
      if (!prefix.equals(theirs)) {
        differences.add(file);
      }
    }
    say(
        "contract columns of the three reports: %s",
        differences.isEmpty() ? "identical to DuckDB's" : "differ in " + differences);
    verdict(
        "report command (whole process) within 10x of DuckDB (whole process)",
        tReport <= 10 * tDuck);
    verdict("report command and DuckDB agree on the three contract reports", differences.isEmpty());
  }

  /**
   * The limits file DuckDB reads: report.limits when set, else the file the built-in limits come
   * from.
   */
  private static String limitsFile() {
    String configured = Settings.load(null).get("report.limits");
    return configured != null ? configured : "conf/bitrate-limits.csv";
  }

  /**
   * Runs of each side of a whole-process comparison ({@link #reportAgainstDuckDb}, {@link
   * #wholeProcessAgainstDuckdb}); the best of each counts.
   */
  static final int PROCESS_RUNS = 2;

  private static double process(List<String> command, Path log)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // The benchmark runs under IVS_ANALYTICS_MAIN=BenchMain; the commands it times are the
    // product's.
    pb.environment().remove("IVS_ANALYTICS_MAIN");
    long t0 = System.nanoTime();
    Process p = pb.start();
    int code = p.waitFor();
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (code != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " exited with " + code + "; see " + log);
    }
    return seconds;
  }

  private static List<List<String>> csvRows(Path file) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    try (org.apache.commons.csv.CSVParser parser =
        org.apache.commons.csv.CSVParser.parse(
            file,
            java.nio.charset.StandardCharsets.UTF_8,
            org.apache.commons.csv.CSVFormat.RFC4180)) {
      parser.forEach(r -> rows.add(r.toList()));
    }
    return rows;
  }

  private static String times(List<Double> seconds) {
    return String.join(
        ", ", seconds.stream().map(t -> String.format(Locale.ROOT, "%.1f", t)).toList());
  }

  private Path archive(long sessions) {
    return archive("raw-" + sessions, sessions, ANCHOR, DAYS, SEED);
  }

  private Path archive(String name, long sessions, LocalDate anchor, int days, long seed) {
    Path lake = work.resolve(name);
    Path raw = lake.resolve(RawArchive.DIR);
    if (Files.isDirectory(raw)) {
      say("raw archive %,d sessions: reused %s (%s)", sessions, raw, mb(treeBytes(raw)));
      return raw;
    }
    RawArchiveGenerator.Options o =
        RawArchiveGenerator.Options.defaults()
            .withAnchor(anchor.atStartOfDay(ZoneOffset.UTC).toInstant())
            .withDays(days);
    long t0 = System.nanoTime();
    RawArchiveGenerator.Result r = RawArchiveGenerator.generate(lake, sessions, seed, o);
    say(
        "raw archive %,d sessions: generated in %.1f s, %d files, %s",
        sessions, (System.nanoTime() - t0) / 1e9, r.files(), mb(r.bytes()));
    return raw;
  }

  private static Map<Table, Long> counts(SparkSession spark, Path lake) {
    Map<Table, Long> m = new LinkedHashMap<>();
    for (Table t : List.of(Table.SESSIONS, Table.TRACKS, Table.EVENTS, Table.RECORDING_SETTINGS)) {
      m.put(t, spark.read().parquet(lake.resolve(t.dirName()).toString()).count());
    }
    return m;
  }

  private void say(String format, Object... args) {
    String line = String.format(Locale.ROOT, format, args);
    lines.add(line);
    System.err.println("bench-lake: " + line);
  }

  private void verdict(String target, boolean pass) {
    verdicts.put(target, pass);
  }

  private static double timed(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  private static Path fresh(Path dir) throws IOException {
    LocalFiles.deleteTree(dir);
    return dir;
  }

  private static long treeBytes(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%,.0f MB", bytes / 1048576.0);
  }

  private static long gcCount() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionCount)
        .sum();
  }

  private static double gcSeconds() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
            .mapToLong(GarbageCollectorMXBean::getCollectionTime)
            .sum()
        / 1e3;
  }

  /** Samples the driver heap every 100 ms: peak used (live data plus garbage not yet collected). */
  private static final class HeapWatch {
    volatile long peakUsed;
    private volatile boolean running;
    private Thread thread;

    void start() {
      running = true;
      thread =
          new Thread(
              () -> {
                while (running) {
                  sample();
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "bench-heap-watch");
      thread.setDaemon(true);
      thread.start();
    }

    private void sample() {
      peakUsed =
          Math.max(peakUsed, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    void stop() {
      if (running) {
        running = false;
        thread.interrupt();
        sample();
      }
    }
  }

  /**
   * Summarises each Parquet scan of the lake: table, columns read, partition directories, filters.
   */
  private static final class ScanCollector implements QueryExecutionListener {
    private final List<String> out;

    ScanCollector(List<String> out) {
      this.out = out;
    }

    @Override
    public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
      String plan = qe.executedPlan().toString();
      for (String line : plan.split("\n")) {
        int at = line.indexOf("FileScan parquet");
        if (at < 0) {
          continue;
        }
        String scan = line.substring(at);
        String table = "?";
        Matcher loc =
            Pattern.compile("Location: \\w+\\((\\d+) paths?\\)\\[([^,\\]]*)").matcher(scan);
        String paths = "?";
        if (loc.find()) {
          paths = loc.group(1);
          Matcher tm =
              Pattern.compile("/([a-z_]+)/" + Schemas.DT + "=|/([a-z_]+)$").matcher(loc.group(2));
          if (tm.find()) {
            table = tm.group(1) != null ? tm.group(1) : tm.group(2);
          }
        }
        Matcher rs = Pattern.compile("ReadSchema: struct<(.*)>").matcher(scan);
        String cols = rs.find() ? String.valueOf(topLevelFields(rs.group(1))) : "?";
        Matcher pf = Pattern.compile("PartitionFilters: \\[([^\\]]*)\\]").matcher(scan);
        Matcher pu = Pattern.compile("PushedFilters: \\[([^\\]]*)\\]").matcher(scan);
        int total = tableColumns(table);
        out.add(
            String.format(
                Locale.ROOT,
                "%s: %s of %s columns, %s partition dirs, PartitionFilters [%s], PushedFilters"
                    + " [%s]",
                table,
                cols,
                total < 0 ? "?" : String.valueOf(total),
                paths,
                pf.find() ? pf.group(1) : "",
                pu.find() ? pu.group(1) : ""));
      }
    }

    @Override
    public void onFailure(String funcName, QueryExecution qe, Exception exception) {}

    private static int tableColumns(String dirName) {
      for (Table t : Schemas.TABLES) {
        if (t.dirName().equals(dirName)) {
          return t.schema().size() - 1;
        }
      }
      return -1;
    }

    private static int topLevelFields(String body) {
      if (body.isBlank()) {
        return 0;
      }
      int depth = 0;
      int n = 1;
      for (char c : body.toCharArray()) {
        if (c == '<' || c == '(') {
          depth++;
        } else if (c == '>' || c == ')') {
          depth--;
        } else if (c == ',' && depth == 0) {
          n++;
        }
      }
      return n;
    }
  }
}
