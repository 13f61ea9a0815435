package io.ivsanalytics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivsanalytics.ChildJvm;
import io.ivsanalytics.LakeTables;
import io.ivsanalytics.config.Settings;
import io.ivsanalytics.flatten.FlattenStage;
import io.ivsanalytics.model.RawArchive;
import io.ivsanalytics.model.Schemas.Table;
import io.ivsanalytics.simulator.Fleet;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import io.ivsanalytics.testing.WithSimulator;
import io.ivsanalytics.testing.WithSpark;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fetch killed part-way, and a fetch whose Spark tasks fail and are retried, end with the same
 * tables as an uninterrupted run: the next run fetches only what is missing, and raw chunks of a
 * retried task replace those of the failed attempt.
 */
@WithSimulator
@WithSpark
class CrashResumeTest {
  static final Instant ANCHOR = Instant.parse("2024-05-06T12:00:00Z");
  static final LocalDate FROM = LocalDate.parse("2024-05-02");
  static final LocalDate TO = LocalDate.parse("2024-05-07");
  static final String RUN_AT = "2024-05-07T03:00:00Z";
  static final String UNKNOWN = "arn:aws:ivs:us-west-2:111122223333:channel/doesNotExist9";
  static final Table[] TABLES = Table.values();
  static final ObjectMapper JSON = new ObjectMapper();

  static IvsSimulator sim;
  static SparkSession spark;
  static Path ids;
  static Map<Table, List<String>> reference;
  static int sessions;

  @TempDir static Path shared;
  @TempDir Path dir;

  static SimulatorConfig simulatorConfig() {
    return SimulatorConfig.builder()
        .seed(21)
        .accounts("111122223333")
        .regions("us-west-2", "eu-west-1")
        .channelsPerAccountRegion(3)
        .days(4)
        .sessionsPerChannelPerDay(2)
        .anchor(ANCHOR)
        .tps(1000)
        .build();
  }

  @BeforeAll
  static void uninterruptedRun() throws IOException {
    List<String> lines = new ArrayList<>(List.of("channel_arn,stream_id"));
    for (Fleet.Channel c : sim.fleet().channels()) {
      for (Fleet.Session s : c.sessions()) {
        lines.add(c.arn() + "," + s.streamId());
      }
    }
    sessions = lines.size() - 1;
    lines.add(UNKNOWN + ",st-0000000000000000000000z");
    ids = shared.resolve("ids.csv");
    Files.write(ids, lines, StandardCharsets.UTF_8);

    Path lake = shared.resolve("reference");
    FetchSummary s = FetchStage.run(spark, options(lake).build());
    assertTrue(s.balanced());
    assertEquals(sessions, s.fetchedNew());
    reference = tables(lake);
    assertEquals(sessions, reference.get(Table.SESSIONS).size());
    assertEquals(1, reference.get(Table.FETCH_ERRORS).size());
  }

  static FetchOptions.Builder options(Path lake) {
    return FetchOptions.builder(Settings.defaults())
        .idsFile(ids)
        .lake(lake.toString())
        .endpoint(sim.endpoint().toString())
        .from(FROM)
        .to(TO)
        .quotaTps(500)
        .partitions(2)
        .backoff(new Backoff(5, 100))
        .clock(Clock.fixed(Instant.parse(RUN_AT), ZoneOffset.UTC));
  }

  /** Flattens the lake's raw archive, then every table without its fetched_at. */
  static Map<Table, List<String>> tables(Path lake) {
    FlattenStage.run(
        spark, List.of(lake.resolve(RawArchive.DIR).toString()), lake.toString(), FROM, TO);
    Map<Table, List<String>> t = new EnumMap<>(Table.class);
    for (Table table : TABLES) {
      // fetched_at differs between runs, and an error message carries the request id
      List<String> rows =
          table == Table.FETCH_ERRORS
              ? LakeTables.rows(spark, lake, table, "fetched_at", "message")
              : LakeTables.rows(spark, lake, table, "fetched_at");
      assertEquals(0, LakeTables.duplicates(rows), "duplicate rows in " + table);
      t.put(table, rows);
    }
    return t;
  }

  static ProcessBuilder child(Path lake, String master, int tps, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "master=" + master,
                "ids=" + ids,
                "lake=" + lake,
                "endpoint=" + sim.endpoint(),
                "from=" + FROM,
                "to=" + TO,
                "clock=" + RUN_AT,
                "tps=" + tps,
                "chunk=2",
                "flushMs=100"));
    args.addAll(List.of(extra));
    return ChildJvm.of(List.of(), FetchChild.class.getName(), args);
  }

  /**
   * Archive files (complete ones; temporary files start with a dot) and their lines per session.
   */
  record Archive(List<Path> files, Map<String, Integer> lines, Set<String> ended) {}

  static Archive archive(Path lake) throws IOException {
    Path raw = lake.resolve(RawArchive.DIR);
    List<Path> files = new ArrayList<>();
    Map<String, Integer> lines = new HashMap<>();
    Set<String> ended = new HashSet<>();
    if (!Files.exists(raw)) {
      return new Archive(files, lines, ended);
    }
    // A running fetch renames its temporary files into place while this looks: an entry gone by
    // the time it is visited is skipped.
    Files.walkFileTree(
        raw,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) {
            String name = p.getFileName().toString();
            if (name.endsWith(RawArchive.FILE_SUFFIX) && !name.startsWith(".")) {
              files.add(p);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }
        });
    for (Path f : files) {
      String text;
      try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      for (String line : text.split("\n")) {
        JsonNode s = JSON.readTree(line).path(RawArchive.STREAM_SESSION);
        String key =
            FetchId.key(s.path("channel").path("arn").asText(), s.path("streamId").asText());
        lines.merge(key, 1, Integer::sum);
        if (s.hasNonNull("endTime")) {
          ended.add(key);
        }
      }
    }
    return new Archive(files, lines, ended);
  }

  @Test
  void killedFetchResumesWithOnlyWhatIsMissingAndEndsWithTheSameTables() throws Exception {
    Path lake = dir.resolve("lake");
    Path log = dir.resolve("child.log");
    sim.knobs().tps(3);
    Process p =
        child(lake, "local[2]", 3).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean killedWhileRunning = false;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (System.nanoTime() < deadline && p.isAlive() && archive(lake).files().size() < 3) {
        Thread.sleep(50);
      }
      killedWhileRunning = p.isAlive();
    } finally {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      sim.knobs().tps(1000);
    }
    assertTrue(
        killedWhileRunning, "the child was still fetching when killed:\n" + Files.readString(log));
    assertFalse(
        Files.exists(lake.resolve(Table.FETCH_ERRORS.dirName())), "the killed run never finished");
    Archive kept = archive(lake);
    assertTrue(
        kept.lines().size() > 0 && kept.lines().size() < sessions,
        "part of the sessions archived: " + kept.lines().size());

    long before = sim.stats().requests("GetStreamSession");
    FetchSummary resumed = FetchStage.run(spark, options(lake).build());

    assertTrue(resumed.balanced());
    assertEquals(sessions + 1, resumed.requested());
    assertEquals(
        kept.ended().size(),
        resumed.alreadyArchived(),
        "ended sessions the killed run archived are skipped");
    assertEquals(
        sessions - kept.ended().size(),
        resumed.fetchedNew(),
        "live and missing sessions are fetched");
    assertEquals(
        resumed.fetchedNew() + 1,
        sim.stats().requests("GetStreamSession") - before,
        "one call per missing session and one for the unknown id");
    Archive after = archive(lake);
    assertEquals(sessions, after.lines().size(), "every session archived");
    after
        .lines()
        .forEach(
            (k, n) -> {
              if (kept.ended().contains(k) || !kept.lines().containsKey(k)) {
                assertEquals(1, n, "archived once: " + k);
              }
            });
    LakeTables.assertSame(reference, tables(lake), "same tables as the uninterrupted run");
  }

  @Test
  void retriedSparkTasksReplaceTheirRawChunksInsteadOfDuplicatingThem() throws Exception {
    Path lake = dir.resolve("lake");
    Path log = dir.resolve("child.log");
    // local[2,3]: each task may run 3 times; attempt 0 of every task fails after archiving 2 ids.
    Process p =
        child(lake, "local[2,3]", 500, "failAt=1")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child finished");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("injected failure"), "a task attempt failed:\n" + out);
    assertTrue(
        out.contains(
            "requested = fetched + errors: " + (sessions + 1) + " = " + sessions + " + 1 holds"),
        out);

    Archive archive = archive(lake);
    assertEquals(sessions, archive.lines().size());
    archive.lines().forEach((k, n) -> assertEquals(1, n, "one raw line per session: " + k));
    LakeTables.assertSame(reference, tables(lake), "same tables as a run without task failures");
  }
}
