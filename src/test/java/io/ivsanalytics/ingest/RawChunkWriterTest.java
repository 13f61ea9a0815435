package io.ivsanalytics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.lake.LakeFs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawChunkWriterTest {
  @TempDir Path lake;
  long now = 0;

  Map<String, List<String>> files() throws IOException {
    Map<String, List<String>> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(lake)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
          String rel = lake.relativize(f).toString();
          out.put(rel, List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        }
      }
    }
    return out;
  }

  static byte[] line(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void chunksByIdPositionAndDtWithDeterministicNames() throws IOException {
    try (RawChunkWriter w =
        new RawChunkWriter(
            new LakeFs(new Configuration()),
            lake.toString(),
            "run1",
            3,
            "111122223333-us-west-2",
            2,
            60_000,
            () -> now)) {
      w.add(0, "2024-05-01", line("a"));
      w.add(1, "2024-05-02", line("b"));
      w.add(3, "2024-05-01", line("d")); // id 2 failed: chunk 1 holds only id 3
      w.add(4, "2024-05-01", line("e"));
    }
    assertEquals(
        Map.of(
            "raw/dt=2024-05-01/run1-p00003-111122223333-us-west-2-c00000.jsonl.gz", List.of("a"),
            "raw/dt=2024-05-02/run1-p00003-111122223333-us-west-2-c00000.jsonl.gz", List.of("b"),
            "raw/dt=2024-05-01/run1-p00003-111122223333-us-west-2-c00001.jsonl.gz", List.of("d"),
            "raw/dt=2024-05-01/run1-p00003-111122223333-us-west-2-c00002.jsonl.gz", List.of("e")),
        files());
  }

  @Test
  void flushesTheOpenChunkOnTimeAndRewritesItWhenItGrows() throws IOException {
    String name = "raw/dt=2024-05-01/run2-p00000-w-c00000.jsonl.gz";
    try (RawChunkWriter w =
        new RawChunkWriter(
            new LakeFs(new Configuration()),
            lake.toString(),
            "run2",
            0,
            "w",
            500,
            30_000,
            () -> now)) {
      w.add(0, "2024-05-01", line("a"));
      assertTrue(files().isEmpty(), "nothing written before the flush interval");
      now += 30_000;
      w.add(1, "2024-05-01", line("b"));
      assertEquals(Map.of(name, List.of("a", "b")), files(), "written as it goes");
      w.add(2, "2024-05-01", line("c"));
    }
    assertEquals(
        Map.of(name, List.of("a", "b", "c")), files(), "same file replaced, no duplicates");
  }

  @Test
  void aRetriedTaskReplacesTheFilesOfTheFirstAttempt() throws IOException {
    for (int attempt = 0; attempt < 2; attempt++) {
      try (RawChunkWriter w =
          new RawChunkWriter(
              new LakeFs(new Configuration()),
              lake.toString(),
              "run3",
              1,
              "w",
              10,
              60_000,
              () -> now)) {
        w.add(0, "2024-05-01", line("a"));
        w.add(1, "2024-05-01", line("b"));
      }
    }
    assertEquals(
        Map.of("raw/dt=2024-05-01/run3-p00001-w-c00000.jsonl.gz", List.of("a", "b")), files());
  }
}
