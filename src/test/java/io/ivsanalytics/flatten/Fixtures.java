package io.ivsanalytics.flatten;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Copies the hand-written fixtures into a test directory, the way analysts and the archive hold
 * them.
 */
final class Fixtures {
  static final List<String> DOCUMENTS =
      List.of(
          "complete.json",
          "multitrack.json",
          "legacy.json",
          "live.json",
          "unknown-fields.json",
          "malformed.json");
  static final String ARCHIVE_LINES = "archive/dt=2024-05-01/part-00000.jsonl";

  /**
   * Modification time given to the copied document files (their fetched_at): between the archive's
   * two fetches of the live session, so the archive's later (ended) copy wins.
   */
  static final Instant MTIME = Instant.parse("2024-05-02T01:00:00Z");

  static String text(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** dir/analyst/*.json (pretty documents) and dir/raw/dt=2024-05-01/part-00000.jsonl.gz. */
  static Path install(Path dir) throws IOException {
    Path analyst = Files.createDirectories(dir.resolve("analyst"));
    for (String name : DOCUMENTS) {
      Path p = analyst.resolve(name);
      Files.writeString(p, text(name), StandardCharsets.UTF_8);
      Files.setLastModifiedTime(p, FileTime.from(MTIME));
    }
    Path raw = Files.createDirectories(dir.resolve("raw/dt=2024-05-01"));
    gzip(text(ARCHIVE_LINES), raw.resolve("part-00000.jsonl.gz"));
    return dir;
  }

  static void gzip(String text, Path target) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private Fixtures() {}
}
