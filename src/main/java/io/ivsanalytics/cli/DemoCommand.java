package io.ivsanalytics.cli;

import io.ivsanalytics.config.Settings;
import io.ivsanalytics.config.SparkSessions;
import io.ivsanalytics.config.UsageException;
import io.ivsanalytics.ingest.FetchOptions;
import io.ivsanalytics.lake.LocalFiles;
import io.ivsanalytics.simulator.Fleet;
import io.ivsanalytics.simulator.FleetOptions;
import io.ivsanalytics.simulator.FleetSpec;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import io.ivsanalytics.simulator.SimulatorOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ivs-analytics demo}: the whole weekly run on this machine, with no AWS account. Starts the
 * IVS simulator in-process (seeded fleet, the real 5 TPS quota), writes an ids file of its channels
 * plus one channel that does not exist, and runs fetch → flatten → report → email (.eml) into
 * {@code --lake}.
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
  static final String MISSING_CHANNEL =
      "arn:aws:ivs:us-west-2:123456789012:channel/DeletedChannel0";

  @Option(
      names = "--lake",
      paramLabel = "DIR",
      description = "demo lake folder, replaced on each run (default: ${DEFAULT-VALUE})")
  Path lake = Path.of("demo-lake");

  @Mixin FleetOptions fleet = new FleetOptions();

  @Mixin SimulatorOptions quota = new SimulatorOptions();

  @Override
  public Integer call() throws IOException {
    SimulatorConfig config =
        quota.applyTo(fleet.applyTo(SimulatorConfig.builder(), Clock.systemUTC())).build();
    prepare(lake);
    FleetSpec spec = config.fleet();
    Instant anchor = spec.anchor();
    int days = spec.days();
    double tps = config.knobs().tps();
    Settings settings = Settings.load(null);
    try (IvsSimulator simulator = IvsSimulator.start(config)) {
      Path ids = writeIds(simulator.fleet(), lake.resolve("demo-ids.txt"));
      LocalDate to = LocalDate.ofInstant(anchor, ZoneOffset.UTC).plusDays(1);
      LocalDate from = to.minusDays(days + 1L);
      System.out.printf(
          Locale.ROOT,
          "IVS simulator at %s: %d channels, %d sessions, quota %s TPS per operation%n"
              + "ids: %s (the channels, plus %s, which does not exist)%n",
          simulator.endpoint(),
          simulator.fleet().channels().size(),
          simulator.fleet().sessionCount(),
          fmt(tps),
          ids,
          MISSING_CHANNEL);
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
          lake.toAbsolutePath(),
          reports.toAbsolutePath(),
          reports.resolve("report.html").toAbsolutePath().toUri());
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
