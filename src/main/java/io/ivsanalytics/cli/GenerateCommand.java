package io.ivsanalytics.cli;

import io.ivsanalytics.config.UsageException;
import io.ivsanalytics.simulator.HistoryOptions;
import io.ivsanalytics.simulator.RawArchiveGenerator;
import io.ivsanalytics.simulator.RawArchiveGenerator.Options;
import io.ivsanalytics.simulator.RawArchiveGenerator.Result;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ivs-analytics generate}: a synthetic raw archive, written directly (no API calls). */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a synthetic raw archive OUT/raw/dt=YYYY-MM-DD/part-NNNNN.jsonl.gz of GetStreamSession"
          + " responses",
      "(without SRT passphrases), the input of flatten, for benchmarks and tests. Same seed, same"
          + " files."
    })
public final class GenerateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--sessions", required = true, description = "Number of stream sessions.")
  long sessions;

  @Option(
      names = "--out",
      required = true,
      description = "Lake directory; the archive goes to OUT/raw.")
  Path out;

  /** --seed, --days and --anchor: the same declarations (and defaults) as the simulator's fleet. */
  @Mixin HistoryOptions history = new HistoryOptions();

  @Option(names = "--threads", description = "Default: the number of processors.")
  Integer threads;

  @Option(names = "--overwrite", description = "Replace an existing OUT/raw.")
  boolean overwrite;

  @Override
  public Integer call() {
    if (sessions < 1) {
      throw new UsageException("--sessions must be >= 1: " + sessions);
    }
    if (history.days < 1) {
      throw new UsageException("--days must be >= 1: " + history.days);
    }
    Options o =
        Options.defaults()
            .withDays(history.days)
            .withAnchor(history.anchorOrNow(Clock.systemUTC()))
            .withOverwrite(overwrite);
    if (threads != null) {
      if (threads < 1) {
        throw new UsageException("--threads must be >= 1: " + threads);
      }
      o = o.withThreads(threads);
    }
    long t0 = System.nanoTime();
    Result r;
    try {
      r = RawArchiveGenerator.generate(out, sessions, history.seed, o);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "wrote %d sessions of %d channels to %s: %d files, %.1f MB, dates %s..%s, %.1f s%n",
            r.sessions(),
            r.channels(),
            r.rawDir(),
            r.files(),
            r.bytes() / 1e6,
            r.dates().isEmpty() ? "-" : r.dates().get(0),
            r.dates().isEmpty() ? "-" : r.dates().get(r.dates().size() - 1),
            secs);
    return 0;
  }
}
