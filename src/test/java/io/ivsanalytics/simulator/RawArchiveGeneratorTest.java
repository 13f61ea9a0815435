package io.ivsanalytics.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivsanalytics.cli.Main;
import io.ivsanalytics.model.RawArchive;
import io.ivsanalytics.simulator.RawArchiveGenerator.Options;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawArchiveGeneratorTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant ANCHOR = Instant.parse("2024-05-06T00:00:00Z");

  static Options options(int threads) {
    return Options.defaults().withAnchor(ANCHOR).withDays(5).withThreads(threads);
  }

  /** relative path -> decompressed lines. */
  static Map<String, List<String>> read(Path rawDir) throws IOException {
    Map<String, List<String>> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(rawDir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r =
            new BufferedReader(
                new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
          for (String l = r.readLine(); l != null; l = r.readLine()) {
            lines.add(l);
          }
        }
        out.put(rawDir.relativize(f).toString(), lines);
      }
    }
    return out;
  }

  @Test
  void writesExactlyNSessionsAsGzipJsonLinesPartitionedByStartDate(@TempDir Path lake)
      throws IOException {
    RawArchiveGenerator.Result r = RawArchiveGenerator.generate(lake, 2500, 11, options(2), 1000);
    assertEquals(lake.resolve("raw"), r.rawDir());
    Map<String, List<String>> files = read(r.rawDir());
    assertEquals(r.files(), files.size());
    Set<String> ids = new HashSet<>();
    long lines = 0;
    long tracks = 0;
    long events = 0;
    for (Map.Entry<String, List<String>> f : files.entrySet()) {
      assertTrue(
          f.getKey().matches("dt=\\d{4}-\\d{2}-\\d{2}/part-\\d{5}\\.jsonl\\.gz"), f.getKey());
      String dt = f.getKey().substring(3, 13);
      for (String line : f.getValue()) {
        lines++;
        assertFalse(line.contains("passphrase"), line);
        JsonNode n = JSON.readTree(line);
        assertEquals(2, n.size(), "streamSession and fetchedAt only");
        assertEquals("2024-05-06T00:00:00.000Z", n.get(RawArchive.FETCHED_AT).asText());
        JsonNode s = n.get(RawArchive.STREAM_SESSION);
        assertTrue(ids.add(s.get("streamId").asText()), "unique stream ids");
        assertEquals(dt, s.get("startTime").asText().substring(0, 10));
        assertTrue(s.path("channel").path("srt").has("endpoint"));
        JsonNode ic = s.get("ingestConfigurations");
        tracks +=
            ic == null
                ? 2
                : ic.get("videoConfigurations").size() + ic.get("audioConfigurations").size();
        events += s.get("truncatedEvents").size();
      }
    }
    assertEquals(2500, lines);
    assertEquals(2500, r.sessions());
    double tracksPerSession = tracks / 2500.0;
    double eventsPerSession = events / 2500.0;
    assertTrue(
        tracksPerSession >= 1.5 && tracksPerSession <= 4, "tracks/session " + tracksPerSession);
    assertTrue(
        eventsPerSession >= 10 && eventsPerSession <= 40, "events/session " + eventsPerSession);
    assertTrue(
        r.dates().stream()
            .allMatch(d -> d.compareTo("2024-04-30") >= 0 && d.compareTo("2024-05-06") < 0),
        r.dates().toString());
  }

  @Test
  void sameSeedSameFilesWhateverTheThreadCount(@TempDir Path tmp) throws IOException {
    RawArchiveGenerator.generate(tmp.resolve("a"), 1800, 5, options(1), 700);
    RawArchiveGenerator.generate(tmp.resolve("b"), 1800, 5, options(3), 700);
    RawArchiveGenerator.generate(tmp.resolve("c"), 1800, 6, options(2), 700);
    Map<String, List<String>> a = read(tmp.resolve("a/raw"));
    assertEquals(a, read(tmp.resolve("b/raw")));
    assertNotEquals(a, read(tmp.resolve("c/raw")));
  }

  @Test
  void refusesANonEmptyArchiveUnlessOverwriting(@TempDir Path lake) throws IOException {
    RawArchiveGenerator.generate(lake, 50, 1, options(1));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RawArchiveGenerator.generate(lake, 50, 2, options(1)));
    assertTrue(e.getMessage().contains(lake.resolve("raw").toString()), e.getMessage());
    RawArchiveGenerator.generate(lake, 20, 2, options(1).withOverwrite(true));
    assertEquals(20, read(lake.resolve("raw")).values().stream().mapToInt(List::size).sum());
  }

  @Test
  void generateCommandWritesTheArchiveAndRejectsBadOptions(@TempDir Path lake) throws IOException {
    assertEquals(
        0,
        Main.execute(
            "generate",
            "--sessions",
            "300",
            "--out",
            lake.toString(),
            "--seed",
            "9",
            "--anchor",
            "2024-05-06",
            "--days",
            "3"));
    Map<String, List<String>> files = read(lake.resolve("raw"));
    assertEquals(300, files.values().stream().mapToInt(List::size).sum());
    assertTrue(
        files.keySet().stream().allMatch(k -> k.compareTo("dt=2024-05-03") >= 0),
        files.keySet().toString());
    assertEquals(
        Main.EXIT_USAGE, Main.execute("generate", "--sessions", "10", "--out", lake.toString()));
    assertEquals(
        Main.EXIT_USAGE,
        Main.execute(
            "generate",
            "--sessions",
            "10",
            "--out",
            lake.resolve("x").toString(),
            "--anchor",
            "May 6"));
  }
}
