package io.ivsanalytics.flatten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsanalytics.ChildJvm;
import io.ivsanalytics.LakeTables;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import io.ivsanalytics.simulator.RawArchiveGenerator;
import io.ivsanalytics.testing.WithSpark;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A flatten killed (SIGKILL: the child JVM halts itself at a named point, or is destroyed forcibly
 * at a random moment) and run again leaves all five tables equal, row for row, to an uninterrupted
 * run's, and the rerun reports the rows the tables hold. The increment exercises every part of a
 * run: new keys in partitions the lake already has and in a new one, a live session fetched again
 * with another track configuration (a partition rewrite), a session given twice (a group staged
 * again without the older copy) and a malformed line.
 */
@WithSpark
class FlattenCrashTest {
  @TempDir static Path tmp;
  static SparkSession spark;
  static Path rawA;
  static Path rawB;
  static Path template;
  static Map<Table, List<String>> expected;
  static FlattenResult expectedResult;

  @BeforeAll
  static void uninterrupted() throws IOException {
    rawA =
        RawArchiveGenerator.generate(
                tmp.resolve("a"),
                40,
                21,
                RawArchiveGenerator.Options.defaults()
                    .withAnchor(Instant.parse("2024-06-01T00:00:00Z"))
                    .withDays(3))
            .rawDir();
    rawB =
        RawArchiveGenerator.generate(
                tmp.resolve("b"),
                30,
                22,
                RawArchiveGenerator.Options.defaults()
                    .withAnchor(Instant.parse("2024-06-02T00:00:00Z"))
                    .withDays(3))
            .rawDir();
    List<String> a = lines(rawA);
    Path again = Files.createDirectories(rawB.resolve("dt=2024-06-01"));
    ObjectNode refetched = (ObjectNode) SessionParser.MAPPER.readTree(a.get(3));
    refetched.put("fetchedAt", "2024-06-05T00:00:00Z");
    ObjectNode session = (ObjectNode) refetched.get("streamSession");
    session
        .putObject("ingestConfigurations")
        .putArray("videoConfigurations")
        .addObject()
        .put("codec", "av01.0.08M.08")
        .put("targetBitrate", 2500000)
        .put("targetFramerate", 29.97);
    ObjectNode older = (ObjectNode) SessionParser.MAPPER.readTree(a.get(5));
    older.put("fetchedAt", "2024-06-04T00:00:00Z");
    ObjectNode newer = older.deepCopy();
    newer.put("fetchedAt", "2024-06-04T06:00:00Z");
    Files.writeString(
        again.resolve("part-again.jsonl"),
        refetched + "\n" + older + "\n" + newer + "\n{\"streamSession\": 1}\n",
        StandardCharsets.UTF_8);

    template = tmp.resolve("template");
    FlattenStage.run(spark, List.of(rawA.toString()), template.toString());
    Path lake = copyOfTemplate("uninterrupted");
    expectedResult = FlattenStage.run(spark, List.of(rawB.toString()), lake.toString());
    assertEquals(32, expectedResult.sessions());
    assertEquals(1, expectedResult.duplicates());
    assertEquals(1, expectedResult.malformed());
    assertEquals(1, expectedResult.oddFields());
    expected = tables(lake);
    assertEquals(40 + 30, expected.get(Table.SESSIONS).size());
    for (Table t : Schemas.TABLES) {
      assertEquals(0, LakeTables.duplicates(expected.get(t)), t.dirName());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "staged",
        "planned",
        "restaged",
        "rewritten",
        "committed",
        "publishing",
        "moved",
        "published"
      })
  void killedAtAStageBoundaryThenRunAgain(String point) throws Exception {
    Path lake = copyOfTemplate("halt-" + point);
    Process p = child(lake, List.of("-D" + LakeCommit.HALT_AT + "=" + point));
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child finished");
    assertEquals(137, p.exitValue(), "the child halted itself at " + point);
    rerunAndCompare(lake, "killed at " + point);
  }

  @Test
  void killedAtRandomMomentsThenRunAgain() throws Exception {
    Random random = new Random(11);
    for (int i = 0; i < 2; i++) {
      Path lake = copyOfTemplate("random-" + i);
      Process p = child(lake, List.of());
      long delay = 4000 + random.nextInt(8000);
      boolean finished = p.waitFor(delay, TimeUnit.MILLISECONDS);
      if (!finished) {
        p.destroyForcibly();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
      }
      rerunAndCompare(
          lake, "killed after " + delay + " ms" + (finished ? " (had already finished)" : ""));
    }
  }

  private static void rerunAndCompare(Path lake, String what) {
    FlattenResult r = FlattenStage.run(spark, List.of(rawB.toString()), lake.toString());
    LakeTables.assertSame(expected, tables(lake), what);
    assertEquals(expectedResult.rowsPerTable().get("sessions"), r.sessions(), what);
    assertEquals(expectedResult.tracks(), r.tracks(), what);
    assertEquals(expectedResult.events(), r.events(), what);
    assertEquals(expectedResult.recordingSettings(), r.recordingSettings(), what);
    assertEquals(expectedResult.fetchErrorsInTable(), r.fetchErrorsInTable(), what);
    assertFalse(Files.exists(lake.resolve(FlattenStage.STAGING)), what + ": staging left");
  }

  private static Process child(Path lake, List<String> jvmArgs) throws IOException {
    ProcessBuilder pb =
        ChildJvm.of(
            jvmArgs, FlattenChild.class.getName(), List.of(lake.toString(), rawB.toString()));
    File log = tmp.resolve("child-" + lake.getFileName() + ".log").toFile();
    return pb.redirectErrorStream(true).redirectOutput(log).start();
  }

  private static Map<Table, List<String>> tables(Path lake) {
    Map<Table, List<String>> m = new LinkedHashMap<>();
    for (Table t : Schemas.TABLES) {
      m.put(t, LakeTables.rows(spark, lake, t));
    }
    return m;
  }

  private static Path copyOfTemplate(String name) throws IOException {
    Path target = tmp.resolve(name);
    try (Stream<Path> s = Files.walk(template)) {
      for (Path p : s.toList()) {
        Files.copy(p, target.resolve(template.relativize(p).toString()));
      }
    }
    return target;
  }

  private static List<String> lines(Path raw) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(raw)) {
      for (Path p : s.filter(x -> x.toString().endsWith(".jsonl.gz")).sorted().toList()) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
          for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
              out.add(line);
            }
          }
        }
      }
    }
    return out;
  }
}
