package io.ivsanalytics.simulator;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ivsanalytics.lake.LocalFiles;
import io.ivsanalytics.model.RawArchive;
import io.ivsanalytics.simulator.Fleet.Channel;
import io.ivsanalytics.simulator.Fleet.Session;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a synthetic raw archive ({@link RawArchive} layout: {@code LAKE/raw/dt=YYYY-MM-DD/
 * part-NNNNN.jsonl.gz}, one {@code {"streamSession":{…},"fetchedAt":"…"}} per line) directly,
 * without HTTP, for benchmarks and large-scale tests of the flatten and report stages.
 *
 * <pre>{@code
 * RawArchiveGenerator.Result r = RawArchiveGenerator.generate(Path.of("bench-lake"), 1_000_000, 7);
 * }</pre>
 *
 * <p>Sessions come from {@link FleetGenerator} and are rendered by {@link SessionJson}, the same
 * code the simulator serves, without the SRT passphrase. The work is cut into shards of {@value
 * #SHARD_SESSIONS} sessions; shard {@code i} writes {@code part-i} files and depends only on the
 * seed and {@code i}, so the output is the same for any thread count.
 */
public final class RawArchiveGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(RawArchiveGenerator.class);
  static final int SHARD_SESSIONS = 20_000;

  private RawArchiveGenerator() {}

  /** Options; {@link #defaults()} = anchor today 00:00 UTC, 30 days, 3 sessions/channel/day. */
  public record Options(
      Instant anchor,
      int days,
      double sessionsPerChannelPerDay,
      List<String> accounts,
      List<String> regions,
      int threads,
      boolean overwrite) {

    public static Options defaults() {
      return new Options(
          Instant.now().truncatedTo(ChronoUnit.DAYS),
          30,
          3,
          List.of("111122223333", "444455556666", "777788889999"),
          List.of("us-west-2", "us-east-1", "eu-west-1"),
          Runtime.getRuntime().availableProcessors(),
          false);
    }

    public Options withAnchor(Instant v) {
      return new Options(v, days, sessionsPerChannelPerDay, accounts, regions, threads, overwrite);
    }

    public Options withDays(int v) {
      return new Options(
          anchor, v, sessionsPerChannelPerDay, accounts, regions, threads, overwrite);
    }

    public Options withThreads(int v) {
      return new Options(anchor, days, sessionsPerChannelPerDay, accounts, regions, v, overwrite);
    }

    public Options withOverwrite(boolean v) {
      return new Options(anchor, days, sessionsPerChannelPerDay, accounts, regions, threads, v);
    }
  }

  /** What was written. */
  public record Result(
      Path rawDir, long sessions, long channels, long files, long bytes, List<String> dates) {}

  /** {@code sessions} sessions under {@code lakeDir/raw} with the default options. */
  public static Result generate(Path lakeDir, long sessions, long seed) {
    return generate(lakeDir, sessions, seed, Options.defaults());
  }

  /**
   * Writes {@code sessions} sessions under {@code lakeDir/raw}. Refuses a non-empty raw directory
   * unless {@code options.overwrite()}, which deletes it first.
   */
  public static Result generate(Path lakeDir, long sessions, long seed, Options options) {
    return generate(lakeDir, sessions, seed, options, SHARD_SESSIONS);
  }

  static Result generate(
      Path lakeDir, long sessions, long seed, Options options, int shardSessions) {
    if (sessions < 0) {
      throw new IllegalArgumentException("sessions must be >= 0: " + sessions);
    }
    if (options.days() < 1 || options.threads() < 1) {
      throw new IllegalArgumentException("days and threads must be >= 1: " + options);
    }
    Path raw = lakeDir.resolve(RawArchive.DIR);
    prepare(raw, options.overwrite());
    long shards = (sessions + shardSessions - 1) / shardSessions;
    ExecutorService pool =
        Executors.newFixedThreadPool(
            options.threads(),
            r -> {
              Thread t = new Thread(r, "raw-archive-generator");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<ShardResult>> futures = new ArrayList<>();
      for (long i = 0; i < shards; i++) {
        long shard = i;
        int count = (int) Math.min(shardSessions, sessions - shard * shardSessions);
        futures.add(pool.submit(() -> writeShard(raw, seed, shard, count, options)));
      }
      long channels = 0;
      long files = 0;
      long bytes = 0;
      TreeSet<String> dates = new TreeSet<>();
      for (Future<ShardResult> f : futures) {
        ShardResult r = f.get();
        channels += r.channels;
        files += r.files;
        bytes += r.bytes;
        dates.addAll(r.dates);
      }
      LOG.info(
          "wrote {} sessions of {} channels to {} ({} files, {} bytes)",
          sessions,
          channels,
          raw,
          files,
          bytes);
      return new Result(raw, sessions, channels, files, bytes, List.copyOf(dates));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while generating " + raw, e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof RuntimeException re
          ? re
          : new IllegalStateException("generating " + raw + " failed", c);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void prepare(Path raw, boolean overwrite) {
    try {
      if (!LocalFiles.isEmpty(raw)) {
        if (!overwrite) {
          throw new IllegalArgumentException(
              "raw archive directory is not empty: "
                  + raw
                  + " (choose another output directory or allow overwriting)");
        }
        LocalFiles.deleteTree(raw);
      }
      Files.createDirectories(raw);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + raw, e);
    }
  }

  private record ShardResult(long channels, long files, long bytes, List<String> dates) {}

  private static ShardResult writeShard(Path raw, long seed, long shard, int count, Options o)
      throws IOException {
    long shardSeed = FleetGenerator.mix(seed, "raw-archive-shard", shard);
    String fetchedAt = SessionJson.time(o.anchor());
    Map<String, Part> parts = new HashMap<>();
    int written = 0;
    int channelIndex = 0;
    try {
      while (written < count) {
        String account = o.accounts().get(channelIndex % o.accounts().size());
        String region = o.regions().get((channelIndex / o.accounts().size()) % o.regions().size());
        Channel ch = FleetGenerator.channel(shardSeed, account, region, channelIndex);
        SplittableRandom rng =
            new SplittableRandom(FleetGenerator.mix(shardSeed, "sessions", channelIndex));
        List<Session> sessions =
            FleetGenerator.sessions(
                ch, rng, o.anchor(), o.days(), o.sessionsPerChannelPerDay(), count - written);
        for (Session s : sessions) {
          String dt = LocalDate.ofInstant(s.startTime(), ZoneOffset.UTC).toString();
          Part p = parts.get(dt);
          if (p == null) {
            p =
                new Part(
                    raw.resolve("dt=" + dt)
                        .resolve(
                            String.format(
                                Locale.ROOT, "part-%05d%s", shard, RawArchive.FILE_SUFFIX)));
            parts.put(dt, p);
          }
          JsonGenerator g = p.json;
          g.writeStartObject();
          g.writeFieldName(RawArchive.STREAM_SESSION);
          SessionJson.writeStreamSession(g, ch, s, false);
          g.writeStringField(RawArchive.FETCHED_AT, fetchedAt);
          g.writeEndObject();
          g.writeRaw('\n');
        }
        written += sessions.size();
        channelIndex++;
      }
    } finally {
      for (Part p : parts.values()) {
        p.json.close();
      }
    }
    long bytes = 0;
    for (Part p : parts.values()) {
      bytes += Files.size(p.path);
    }
    return new ShardResult(channelIndex, parts.size(), bytes, List.copyOf(parts.keySet()));
  }

  /** One open output file. */
  private static final class Part {
    final Path path;
    final JsonGenerator json;

    Part(Path path) throws IOException {
      this.path = path;
      Files.createDirectories(path.getParent());
      OutputStream out =
          new BufferedOutputStream(new FastGzip(Files.newOutputStream(path)), 1 << 16);
      this.json = SessionJson.FACTORY.createGenerator(out, JsonEncoding.UTF8);
      json.setRootValueSeparator(null);
    }
  }

  /** gzip at a fast compression level: generation is CPU-bound on the deflater. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
