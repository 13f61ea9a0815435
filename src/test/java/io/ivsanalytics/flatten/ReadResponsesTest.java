package io.ivsanalytics.flatten;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.lake.LakeFs;
import io.ivsanalytics.simulator.RawArchiveGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A UTF-8 JSON lines file is parsed from its bytes, and gives, line for line, the records that
 * decoding each line to text and {@link SessionParser#parseText} give: blank lines and CRLF, bytes
 * that are not UTF-8, a line that is not JSON, a line longer than the read buffer, a last line
 * without a line end, a byte order mark.
 */
class ReadResponsesTest {
  @TempDir Path tmp;

  @Test
  void linesParsedFromBytesEqualLinesParsedFromText() throws IOException {
    List<byte[]> sessions = sessionLines();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    body.write(sessions.get(0));
    body.write("\r\n   \n\t\r\n".getBytes(StandardCharsets.UTF_8));
    // A channel name holding bytes that are not UTF-8: replaced, as text decoding replaces them.
    body.write(
        new String(sessions.get(1), StandardCharsets.UTF_8)
            .replaceFirst("\"name\":\"", "\"name\":\"\u0001BAD")
            .getBytes(StandardCharsets.UTF_8));
    byte[] withBadBytes = body.toByteArray();
    for (int i = 0; i < withBadBytes.length - 3; i++) {
      if (withBadBytes[i] == 1 && withBadBytes[i + 1] == 'B') {
        withBadBytes[i] = (byte) 0xFF;
      }
    }
    body.reset();
    body.write(withBadBytes);
    body.write('\n');
    body.write("{\"streamSession\": {\"streamId\": \"st-cut\"\n".getBytes(StandardCharsets.UTF_8));
    // Longer than the 64 KiB read buffer: an unknown field holding a long string.
    String longLine =
        new String(sessions.get(2), StandardCharsets.UTF_8)
            .replaceFirst("\\{", "{\"padding\":\"" + "x".repeat(200_000) + "\",");
    body.write(longLine.getBytes(StandardCharsets.UTF_8));
    body.write('\n');
    body.write("\u2003\n".getBytes(StandardCharsets.UTF_8));
    for (int i = 3; i < sessions.size(); i++) {
      body.write(sessions.get(i));
      body.write('\n');
    }
    body.write(sessions.get(0)); // no line end
    byte[] bytes = body.toByteArray();

    for (String name : List.of("mixed.jsonl", "mixed.jsonl.gz")) {
      Path file = tmp.resolve("in").resolve(name);
      Files.createDirectories(file.getParent());
      try (OutputStream out =
          name.endsWith(".gz")
              ? new GZIPOutputStream(Files.newOutputStream(file))
              : Files.newOutputStream(file)) {
        out.write(bytes);
      }
      LakeFs fs = new LakeFs(new Configuration());
      List<InputFiles.InputFile> files = InputFiles.list(fs, List.of(file.toString()), null, null);
      InputFiles.InputFile f = files.get(0);
      List<ParsedRecord> read = new ArrayList<>();
      for (Iterator<ParsedRecord> it = ReadResponses.records(fs, files); it.hasNext(); ) {
        read.add(it.next());
      }
      List<ParsedRecord> expected = byText(bytes, f);
      assertEquals(expected.size(), read.size(), name);
      assertEquals(sessions.size() + 2, read.size(), name);
      for (int i = 0; i < read.size(); i++) {
        assertArrayEquals(expected.get(i).values(), read.get(i).values(), name + " record " + i);
        assertEquals(expected.get(i).oddFields(), read.get(i).oddFields(), name + " record " + i);
      }
      assertTrue(read.get(2).isError(), "the cut line is an error row");
      assertTrue(
          ((String) read.get(1).get("channel_name")).startsWith("\uFFFDBAD"),
          "bytes that are not UTF-8 are replaced");
    }
  }

  /** The reference: each line decoded to text, blank lines skipped, parsed as text. */
  private static List<ParsedRecord> byText(byte[] bytes, InputFiles.InputFile f) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<ParsedRecord> out = new ArrayList<>();
    Instant mtime = Instant.ofEpochMilli(f.modificationTime());
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line =
          lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      if (line.isBlank()) {
        continue;
      }
      long no = i + 1;
      out.add(
          SessionParser.parseText(
              line,
              f.path(),
              f.path() + " line " + no,
              ReadResponses.recordId(f.index(), no),
              mtime));
    }
    return out;
  }

  private List<byte[]> sessionLines() throws IOException {
    RawArchiveGenerator.Result r =
        RawArchiveGenerator.generate(
            tmp.resolve("archive"),
            40,
            5,
            RawArchiveGenerator.Options.defaults()
                .withAnchor(Instant.parse("2024-06-01T00:00:00Z"))
                .withDays(1));
    List<byte[]> lines = new ArrayList<>();
    try (Stream<Path> s = Files.walk(r.rawDir())) {
      for (Path p : s.filter(x -> x.toString().endsWith(".jsonl.gz")).sorted().toList()) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
          for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (!l.isBlank()) {
              lines.add(l.getBytes(StandardCharsets.UTF_8));
            }
          }
        }
      }
    }
    assertTrue(lines.size() >= 10, "sessions generated: " + lines.size());
    return lines;
  }
}
