package io.ivsanalytics.cli;

import io.ivsanalytics.config.Settings;
import io.ivsanalytics.config.SparkSessions;
import io.ivsanalytics.config.UsageException;
import io.ivsanalytics.ingest.FetchOptions;
import io.ivsanalytics.lake.LocalFiles;
import io.ivsanalytics.simulator.Fleet;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ivs-analytics demo}: the whole weekly run on this machine, with no AWS account. Starts
 * the IVS simulator in-process (seeded fleet, the real 5 TPS quota), writes an ids file of its
 * channels plus one channel that does not exist, and runs fetch → flatten → report → email
 * (.eml) into {@code --lake}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs fetch -> flatten -> report -> email against the built-in IVS simulator (local Spark).",
      "Writes the lake, the reports and the .eml under --lake (default: demo-lake)."
    })
public final class DemoCommand implements Callable<Integer> {
  static final String MARKER = ".ivs-analytics-demo";
  static final String MISSING_CHANNEL = "arn:aws:ivs:us-west-2:123456789012:channel/DeletedChannel0";

  @Option(names = "--lake", paramLabel = "DIR", description = "demo lake folder, replaced on each run (default: ${DEFAULT-VALUE})")
  Path lake = Path.of("demo-lake");

  @Option(names = "--channels", paramLabel = "N", description = "simulated channels (default: ${DEFAULT-VALUE})")
  int channels = 12;

  @Option(names = "--days", paramLabel = "N", description = "days of history, the report window (default: ${DEFAULT-VALUE})")
  int days = 7;

  @Option(names = "--sessions-per-day", paramLabel = "N", description = "sessions per channel per day (default: ${DEFAULT-VALUE})")
  double sessionsPerDay = 2;

  @Option(names = "--seed", paramLabel = "N", description = "fleet seed (default: ${DEFAULT-VALUE})")
  long seed = 42;

  @Option(names = "--tps", paramLabel = "N", description = "simulated quota per account, region and operation (default: ${DEFAULT-VALUE})")
  double tps = 5;

  @Option(names = "--latency-ms", paramLabel = "MS", description = "simulated API latency (default: ${DEFAULT-VALUE})")
  long latencyMs = 40;

  @Override
  public Integer call() throws IOException {
    if (channels < 1 || days < 1 || sessionsPerDay <= 0 || tps <= 0) {
      throw new UsageException(
          String.format(Locale.ROOT, "--channels, --days, --sessions-per-day and --tps must be positive, got %d, %d, %s, %s",
              channels, days, sessionsPerDay, tps));
    }
    prepare(lake);
    Instant anchor = Instant.now().truncatedTo(ChronoUnit.HOURS);
    SimulatorConfig config =
        SimulatorConfig.builder()
            .seed(seed)
            .accounts("123456789012")
            .regions("us-west-2")
            .channelsPerAccountRegion(channels)
            .days(days)
            .sessionsPerChannelPerDay(sessionsPerDay)
            .anchor(anchor)
            .tps(tps)
            .latencyMs(latencyMs)
            .build();
    Settings settings = Settings.load(null);
    try (IvsSimulator simulator = IvsSimulator.start(config)) {
      Path ids = writeIds(simulator.fleet(), lake.resolve("demo-ids.txt"));
      LocalDate to = LocalDate.ofInstant(anchor, ZoneOffset.UTC).plusDays(1);
      LocalDate from = to.minusDays(days + 1L);
      System.out.printf(
          Locale.ROOT,
          "IVS simulator at %s: %d channels, %d sessions, quota %s TPS per operation%n"
              + "ids: %s (the channels, plus %s, which does not exist)%n",
          simulator.endpoint(), simulator.fleet().channels().size(), simulator.fleet().sessionCount(),
          fmt(tps), ids, MISSING_CHANNEL);
      FetchOptions options =
          FetchOptions.builder(settings)
              .idsFile(ids)
              .lake(lake.toString())
              .endpoint(simulator.endpoint().toString())
              .from(from)
              .to(to)
              .quotaTps(tps)
              .build();
      Path reports = lake.resolve("reports");
      SparkSession spark = SparkSessions.create("ivs-analytics demo");
      Pipeline.Outcome outcome;
      try {
        outcome = Pipeline.run(spark, options, reports, true, settings, System.out);
      } finally {
        spark.stop();
      }
      System.out.printf(
          Locale.ROOT,
          "%nlake:    %s%nreports: %s%nopen:    %s%n",
          lake.toAbsolutePath(), reports.toAbsolutePath(), reports.resolve("report.html").toAbsolutePath().toUri());
      return outcome.exitCode();
    }
  }

  private static Path writeIds(Fleet fleet, Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("# demo ids: one channel ARN per line = every session of the channel in the window");
    fleet.channels().forEach(c -> lines.add(c.arn()));
    lines.add(MISSING_CHANNEL);
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  /** Empties a previous demo lake (only one this command made: it carries the marker file). */
  private static void prepare(Path dir) throws IOException {
    if (!LocalFiles.isEmpty(dir) && !Files.exists(dir.resolve(MARKER))) {
      throw new UsageException(
          "--lake " + dir + " exists and was not made by the demo; choose another folder");
    }
    LocalFiles.deleteTree(dir);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(MARKER), "made by ivs-analytics demo\n", StandardCharsets.UTF_8);
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
