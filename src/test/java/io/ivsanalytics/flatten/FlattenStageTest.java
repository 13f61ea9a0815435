package io.ivsanalytics.flatten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import io.ivsanalytics.testing.WithSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the stage once over the fixtures, then reads the lake back with independent readers. */
@WithSpark
class FlattenStageTest {
  @TempDir static Path tmp;
  static Path lake;
  static FlattenResult result;
  static SparkSession spark;

  @BeforeAll
  static void flattenFixtures() throws IOException {
    Fixtures.install(tmp);
    lake = tmp.resolve("lake");
    result =
        FlattenStage.run(
            spark,
            List.of(tmp.resolve("analyst").toString(), tmp.resolve("raw").toString()),
            lake.toString());
  }

  static List<Path> parquetFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
  }

  static List<List<Object>> duck(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  static String table(Path lakeDir, String name) {
    return "read_parquet('" + lakeDir.resolve(name) + "/*/*.parquet', hive_partitioning = true)";
  }

  @Test
  void countsMatchTheFixtures() {
    // 6 documents (1 malformed) + archive: live session twice (one duplicate), 4 bad lines.
    // The live session is also in live.json, fetched between the two archive fetches.
    assertEquals(5, result.sessions());
    assertEquals(2 + 2 + 4 + 2 + 2, result.tracks());
    assertEquals(5 + 1 + 2 + 2 + 0, result.events());
    assertEquals(1, result.recordingSettings());
    assertEquals(5, result.malformed());
    assertEquals(5, result.fetchErrors());
    assertEquals(2, result.duplicates());
    assertEquals(7, result.files());
  }

  @Test
  void duckdbReadsSessionsWithTypesAndValues() throws SQLException {
    List<List<Object>> rows =
        duck(
            "SELECT stream_id, channel_type, is_live, duration_seconds, end_time, dt,"
                + " typeof(start_time), typeof(channel_tags), typeof(duration_seconds),"
                + " typeof(video_track_count), typeof(is_live), channel_tags['名前'],"
                + " epoch_ms(fetched_at) FROM "
                + table(lake, "sessions")
                + " ORDER BY stream_id");
    assertEquals(5, rows.size());
    List<Object> complete = rows.get(0);
    assertEquals("st-1A2b3c4d5e6f78", complete.get(0));
    assertEquals("STANDARD", complete.get(1));
    assertEquals(false, complete.get(2));
    assertEquals(1848L, ((Number) complete.get(3)).longValue());
    assertEquals("2023-06-26", complete.get(5).toString());
    // Spark writes instants (isAdjustedToUTC): DuckDB's TIMESTAMPTZ, Athena's timestamp.
    assertEquals("TIMESTAMP WITH TIME ZONE", complete.get(6));
    assertEquals("MAP(VARCHAR, VARCHAR)", complete.get(7));
    assertEquals("BIGINT", complete.get(8));
    assertEquals("INTEGER", complete.get(9));
    assertEquals("BOOLEAN", complete.get(10));
    List<Object> live =
        rows.stream().filter(r -> r.get(0).equals("st-StillLive0000001")).findFirst().orElseThrow();
    // The archive's second fetch (03:00:00.500) is the latest: the session has ended.
    assertEquals(false, live.get(2));
    assertEquals("2024-05-01", live.get(5).toString());
    assertEquals(
        Instant.parse("2024-05-02T03:00:00.500Z").toEpochMilli(),
        ((Number) live.get(12)).longValue());
    List<Object> unknown =
        rows.stream().filter(r -> r.get(0).equals("st-UnknownFields001")).findFirst().orElseThrow();
    assertEquals("ADVANCED_UHD", unknown.get(1));
    assertEquals("テスト", unknown.get(11));
  }

  @Test
  void duckdbReadsChildTables() throws SQLException {
    List<List<Object>> tracks =
        duck(
            "SELECT media, track_index, codec_family, target_bitrate, typeof(target_bitrate),"
                + " typeof(track_index) FROM "
                + table(lake, "tracks")
                + " WHERE stream_id = 'st-MultiTrack0000001' ORDER BY media DESC, track_index");
    assertEquals(4, tracks.size());
    assertEquals(
        List.of("video", 2, "H.265", 900000L, "BIGINT", "INTEGER"),
        List.of(
            tracks.get(2).get(0),
            tracks.get(2).get(1),
            tracks.get(2).get(2),
            ((Number) tracks.get(2).get(3)).longValue(),
            tracks.get(2).get(4),
            tracks.get(2).get(5)));
    List<List<Object>> events =
        duck(
            "SELECT event_index, name, code FROM "
                + table(lake, "events")
                + " WHERE stream_id = 'st-StillLive0000001' ORDER BY event_index");
    assertEquals(2, events.size(), "events of the winning (latest) fetch only");
    assertEquals("Session Ended", events.get(0).get(1));
    List<List<Object>> rec =
        duck(
            "SELECT renditions, typeof(renditions), tags['cost-center'],"
                + " thumbnail_target_interval_seconds FROM "
                + table(lake, "recording_settings"));
    assertEquals(1, rec.size());
    assertEquals("VARCHAR[]", rec.get(0).get(1));
    assertEquals("1234", rec.get(0).get(2));
  }

  @Test
  void avroReaderSeesTimestampMillisAndTheSchemaColumns() throws IOException {
    for (Table t : Schemas.TABLES) {
      Path file = parquetFiles(lake.resolve(t.dirName())).get(0);
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(
                      new org.apache.hadoop.fs.Path(file.toString()), new Configuration()))
              .build()) {
        GenericRecord rec = reader.read();
        Schema schema = rec.getSchema();
        assertEquals(
            List.of(t.fileSchema().fieldNames()),
            schema.getFields().stream().map(Schema.Field::name).toList(),
            t.dirName());
        for (org.apache.spark.sql.types.StructField f : t.fileSchema().fields()) {
          if (f.dataType() instanceof org.apache.spark.sql.types.TimestampType) {
            Schema s = nonNull(schema.getField(f.name()).schema());
            assertEquals(
                "timestamp-millis", s.getLogicalType().getName(), t.dirName() + "." + f.name());
          }
        }
      }
    }
    Path sessions = parquetFiles(lake.resolve("sessions/dt=2023-06-26")).get(0);
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(
                HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(sessions.toString()), new Configuration()))
            .build()) {
      GenericRecord rec = reader.read();
      assertEquals(
          Instant.parse("2023-06-26T19:09:28Z").toEpochMilli(),
          ((Number) rec.get("start_time")).longValue());
      assertEquals(
          Instant.parse("2023-06-26T19:40:16Z").toEpochMilli(),
          ((Number) rec.get("end_time")).longValue());
      assertNull(rec.getSchema().getField("dt"), "dt is the directory, not a column in the file");
    }
  }

  private static Schema nonNull(Schema s) {
    return s.getType() == Schema.Type.UNION
        ? s.getTypes().stream()
            .filter(x -> x.getType() != Schema.Type.NULL)
            .findFirst()
            .orElseThrow()
        : s;
  }

  @Test
  void srtPassphraseIsInNoOutputFile() throws IOException {
    List<String> secrets =
        List.of(
            "SecretPassphraseThatMustNeverLeak0123456789abcdefABCDEF",
            "AB1C2defGHijkLMNo3PqQRstUvwxyzaBCDEfghh4ijklMN5opqrStuVWxyzAbCDEfghIJ");
    List<Path> files;
    try (Stream<Path> s = Files.walk(lake)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    assertFalse(files.isEmpty());
    for (Path f : files) {
      String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      for (String secret : secrets) {
        assertFalse(bytes.contains(secret), f.toString());
        assertFalse(
            bytes.contains(
                new String(secret.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)
                    .substring(0, 20)),
            f.toString());
      }
    }
    assertTrue(
        spark
                .read()
                .parquet(lake.resolve("sessions").toString())
                .filter("srt_endpoint IS NOT NULL")
                .count()
            >= 2);
  }

  @Test
  void malformedInputsAreFetchErrorsNamingFileAndLine() throws SQLException {
    List<List<Object>> rows =
        duck(
            "SELECT error_code, message, stream_id, channel_arn, attempts, dt FROM "
                + table(lake, "fetch_errors")
                + " ORDER BY message");
    assertEquals(5, rows.size());
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    for (List<Object> r : rows) {
      assertEquals("MalformedResponse", r.get(0));
      assertEquals(0, r.get(4));
      assertEquals(today, r.get(5).toString());
    }
    List<String> messages = rows.stream().map(r -> (String) r.get(1)).toList();
    assertTrue(
        messages.stream()
            .anyMatch(m -> m.contains("malformed.json line ") && m.contains("not valid JSON")),
        messages.toString());
    assertTrue(
        messages.stream().anyMatch(m -> m.contains("part-00000.jsonl.gz line 2: not valid JSON")),
        messages.toString());
    assertTrue(
        messages.stream()
            .anyMatch(m -> m.contains("part-00000.jsonl.gz line 5: no 'streamSession.streamId'")),
        messages.toString());
    assertTrue(
        messages.stream()
            .anyMatch(
                m -> m.contains("part-00000.jsonl.gz line 6: no 'streamSession.channel.arn'")),
        messages.toString());
    assertTrue(
        messages.stream()
            .anyMatch(m -> m.contains("line 7: 'streamSession.startTime' is not an ISO-8601 time")),
        messages.toString());
    assertTrue(rows.stream().anyMatch(r -> "st-NoArn0000000001".equals(r.get(2))));
    assertTrue(
        rows.stream().anyMatch(r -> "st-BadStart00000001".equals(r.get(2)) && r.get(3) != null));
  }

  @Test
  void writtenSchemasAreTheDeclaredSchemas() {
    for (Table t : Schemas.TABLES) {
      // Read without a schema: what the files and directories actually hold.
      var read = spark.read().parquet(lake.resolve(t.dirName()).toString()).schema();
      assertEquals(List.of(t.schema().fieldNames()), List.of(read.fieldNames()), t.dirName());
      for (var f : t.schema().fields()) {
        assertEquals(f.dataType(), read.apply(f.name()).dataType(), t.dirName() + "." + f.name());
      }
    }
  }

  @Test
  void pureTransformFromLinesDedupsAndProjects() {
    String live = Fixtures.text("live.json").replaceAll("\\s*\\n\\s*", "");
    List<String> lines =
        List.of(
            live.replace(
                "{\"streamSession\"", "{\"fetchedAt\":\"2024-05-02T00:00:00Z\",\"streamSession\""),
            live.replace(
                    "{\"streamSession\"",
                    "{\"fetchedAt\":\"2024-05-03T00:00:00Z\",\"streamSession\"")
                .replace("\"name\": \"always-on\"", "\"name\": \"renamed\""),
            "not json");
    var records =
        FlattenStage.parseLines(
            spark.createDataset(lines, org.apache.spark.sql.Encoders.STRING()), Fixtures.MTIME);
    FlattenStage.Tables t = FlattenStage.tables(records, LocalDate.parse("2024-06-01"));
    var sessions = t.sessions().collectAsList();
    assertEquals(1, sessions.size());
    assertEquals("renamed", sessions.get(0).getAs("channel_name"));
    assertEquals(List.of(Schemas.SESSIONS.fieldNames()), List.of(t.sessions().columns()));
    assertEquals(List.of(Schemas.TRACKS.fieldNames()), List.of(t.tracks().columns()));
    assertEquals(2, t.tracks().count());
    assertEquals(1, t.events().count());
    assertEquals(0, t.recordingSettings().count());
    var errors = t.fetchErrors().collectAsList();
    assertEquals(1, errors.size());
    assertEquals("2024-06-01", errors.get(0).getAs("dt"));
  }
}
