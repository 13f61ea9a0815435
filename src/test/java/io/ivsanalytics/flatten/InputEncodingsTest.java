package io.ivsanalytics.flatten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ivsanalytics.TestSpark;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Response files as Windows tools write them: UTF-8 with a byte order mark, UTF-16 little and big
 * endian with one (PowerShell's {@code Out-File}), CRLF line ends, in every input format (a
 * pretty-printed document, JSON lines, gzip of either). The fixtures are the bytes themselves (the
 * gzip inputs are gzipped from theirs).
 */
class InputEncodingsTest {
  static final List<String> FILES =
      List.of(
          "powershell-utf16le.json",
          "powershell-utf16le-unicode.json",
          "utf16be.json",
          "powershell-utf8bom.json",
          "lines-utf16le.jsonl",
          "lines-utf8bom.ndjson",
          "lines-utf16le.jsonl.gz",
          "utf8bom.json.gz");

  @TempDir Path tmp;

  private Path install() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("in"));
    for (String name : FILES) {
      if (name.endsWith(".gz")) {
        // Kept as their uncompressed bytes (NAME.plain) and gzipped here.
        try (InputStream in =
                getClass().getResourceAsStream("/fixtures/encodings/" + name + ".plain");
            OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(name)))) {
          in.transferTo(out);
        }
        continue;
      }
      try (InputStream in = getClass().getResourceAsStream("/fixtures/encodings/" + name)) {
        Files.copy(in, dir.resolve(name));
      }
    }
    return dir;
  }

  @Test
  void everyEncodingAndFormatGivesItsSessions() throws IOException {
    Path dir = install();
    Configuration conf = new Configuration();
    Map<String, String> streamIds = new TreeMap<>();
    for (InputFiles.InputFile f :
        InputFiles.list(
            new io.ivsanalytics.lake.LakeFs(conf), List.of(dir.toString()), null, null)) {
      Iterator<ParsedRecord> it =
          ReadResponses.records(new io.ivsanalytics.lake.LakeFs(conf), List.of(f));
      List<String> ids = new ArrayList<>();
      while (it.hasNext()) {
        ParsedRecord r = it.next();
        assertFalse(
            r.isError(),
            () -> f + ": " + java.util.Arrays.toString((Object[]) r.get(RecordSchema.ERROR)));
        ids.add((String) r.get("stream_id"));
      }
      streamIds.put(f.path().substring(f.path().lastIndexOf('/') + 1), String.join(",", ids));
    }
    Map<String, String> expected =
        new TreeMap<>(
            Map.of(
                "powershell-utf16le.json", "st-Utf16Le00000001",
                "powershell-utf16le-unicode.json", "st-UnknownFields001",
                "utf16be.json", "st-Utf16Be00000001",
                "powershell-utf8bom.json", "st-Utf8Bom00000001",
                "lines-utf16le.jsonl", "st-JsonlUtf16Le001,st-JsonlUtf16Le002",
                "lines-utf8bom.ndjson", "st-JsonlUtf8Bom001",
                "lines-utf16le.jsonl.gz", "st-GzipUtf16Le0001",
                "utf8bom.json.gz", "st-GzipUtf8Bom0001"));
    assertEquals(expected, streamIds);
  }

  @Test
  void flattenKeepsEverySessionAndTheTextIntact() throws IOException {
    Path dir = install();
    Path lake = tmp.resolve("lake");
    FlattenResult r =
        FlattenStage.run(TestSpark.session(), List.of(dir.toString()), lake.toString());
    assertEquals(0, r.malformed());
    assertEquals(9, r.sessions());
    List<Row> names =
        TestSpark.session()
            .read()
            .parquet(lake.resolve("sessions").toString())
            .filter("stream_id = 'st-UnknownFields001'")
            .select("channel_name")
            .collectAsList();
    assertEquals("Vidéo — 東京 🎥", names.get(0).getString(0));
  }
}
