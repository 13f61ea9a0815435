package io.ivsanalytics.cli;

import io.ivsanalytics.config.Settings;
import io.ivsanalytics.config.SparkSessions;
import io.ivsanalytics.config.UsageException;
import io.ivsanalytics.flatten.FlattenResult;
import io.ivsanalytics.flatten.FlattenStage;
import io.ivsanalytics.ingest.WritableLake;
import io.ivsanalytics.lake.LakeFs;
import io.ivsanalytics.model.RawArchive;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ivs-analytics flatten --raw DIR --lake DIR [--from DATE --to DATE]}: GetStreamSession
 * responses to the lake tables (see {@link FlattenStage}).
 */
@Command(
    name = "flatten",
    mixinStandardHelpOptions = true,
    description = {
      "Turns GetStreamSession responses into the sessions, tracks, events and recording_settings "
          + "tables; malformed responses go to fetch_errors.",
      "Input: the raw archive (LAKE/raw/dt=*/*.jsonl.gz) and/or files as analysts have them: "
          + "*.json as printed by 'aws ivs get-stream-session', *.jsonl, *.ndjson, optionally .gz. "
          + "Directories are walked recursively. A response without fetchedAt gets its file's "
          + "modification time as fetched_at.",
      "Re-running is safe: a session appears once (latest fetched_at wins); new sessions are "
          + "added as written, and only partitions that hold a replaced session are rewritten. "
          + "A killed run is completed or rolled back by the next one.",
      "Files may be UTF-8 (with or without a byte order mark) or UTF-16 with a byte order mark.",
      "With --from/--to only the sessions that started in [--from, --to) are taken; without them,"
          + " all."
    })
public final class FlattenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--raw",
      paramLabel = "PATH",
      description = "Input file or directory; repeatable. Default: LAKE/raw.")
  List<String> raw;

  @Mixin LakeOption lake = new LakeOption();

  @Mixin WindowOptions window = new WindowOptions();

  @Mixin ConfOption conf = new ConfOption();

  @Override
  public Integer call() {
    Settings settings = conf.settings();
    String lakeDir = lake.lake(settings);
    LocalDate[] dates = window.checked();
    LocalDate fromDate = dates[0];
    LocalDate toDate = dates[1];
    List<String> inputs = raw == null || raw.isEmpty() ? List.of(RawArchive.dir(lakeDir)) : raw;

    SparkSession spark = SparkSessions.create("ivs-analytics flatten");
    FlattenResult r;
    try {
      WritableLake.require(LakeFs.onDriver(spark), lakeDir);
      r = FlattenStage.run(spark, inputs, lakeDir, fromDate, toDate);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT, "flatten %s -> %s%n%s", String.join(", ", inputs), lakeDir, r.summary());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
