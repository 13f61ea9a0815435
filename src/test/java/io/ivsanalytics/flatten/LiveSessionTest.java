package io.ivsanalytics.flatten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsanalytics.config.Settings;
import io.ivsanalytics.model.report.ReportSummary;
import io.ivsanalytics.output.ReportFolder;
import io.ivsanalytics.reports.ReportStage;
import io.ivsanalytics.testing.WithSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session that was live when first flattened and is fetched again later, ended and with another
 * track configuration, replaces its rows in every table; the reports count it once.
 */
@WithSpark
class LiveSessionTest {
  @TempDir Path tmp;
  static SparkSession spark;

  @Test
  void aLiveSessionFetchedAgainReplacesItsRowsInEveryTable() throws Exception {
    ObjectNode live = (ObjectNode) SessionParser.MAPPER.readTree(Fixtures.text("live.json"));
    live.put("fetchedAt", "2024-05-02T00:10:00Z");
    ObjectNode ended = live.deepCopy();
    ended.put("fetchedAt", "2024-05-03T08:00:00Z");
    ObjectNode s = (ObjectNode) ended.get("streamSession");
    s.put("endTime", "2024-05-02T03:00:00Z");
    ObjectNode ingest = s.putObject("ingestConfigurations");
    ArrayNode videos = ingest.putArray("videoConfigurations");
    for (int i = 0; i < 2; i++) {
      videos
          .addObject()
          .put("codec", "avc1.64002A")
          .put("targetBitrate", 6_000_000 / (i + 1))
          .put("track", "Track" + i);
    }
    ingest.putArray("audioConfigurations").addObject().put("codec", "mp4a.40.2").put("channels", 2);
    ((ArrayNode) s.get("truncatedEvents"))
        .insertObject(0)
        .put("eventTime", "2024-05-02T03:00:00Z")
        .put("name", "Session Ended")
        .put("type", "IVS Stream State Change");
    Path lake = tmp.resolve("lake");
    Path first = Files.createDirectories(tmp.resolve("monday"));
    Files.writeString(first.resolve("part-00000.jsonl"), live + "\n", StandardCharsets.UTF_8);
    FlattenStage.run(spark, List.of(first.toString()), lake.toString());
    assertEquals(List.of("AV1", "Opus"), codecFamilies(lake));

    Path later = Files.createDirectories(tmp.resolve("wednesday"));
    Files.writeString(later.resolve("part-00000.jsonl"), ended + "\n", StandardCharsets.UTF_8);
    FlattenResult r = FlattenStage.run(spark, List.of(later.toString()), lake.toString());
    assertEquals(1, r.sessions());
    assertEquals(3, r.tracks());

    List<Row> sessions =
        spark
            .read()
            .parquet(lake.resolve("sessions").toString())
            .select("is_live", "duration_seconds", "video_track_count", "event_count")
            .collectAsList();
    assertEquals(1, sessions.size());
    assertFalse(sessions.get(0).getBoolean(0));
    assertEquals(2, sessions.get(0).getInt(2));
    assertEquals(2, sessions.get(0).getInt(3));
    assertEquals(List.of("AAC-LC", "H.264", "H.264"), codecFamilies(lake));
    assertEquals(2, spark.read().parquet(lake.resolve("events").toString()).count());

    ReportSummary report =
        ReportFolder.write(
            ReportStage.run(
                spark,
                lake.toString(),
                LocalDate.parse("2024-05-01"),
                LocalDate.parse("2024-05-08"),
                Settings.load(null)),
            tmp.resolve("report"));
    assertEquals(1, report.sessions());
    String codecs =
        Files.readString(
            tmp.resolve("report").resolve("codec_distribution.csv"), StandardCharsets.UTF_8);
    assertTrue(codecs.contains("H.264") && !codecs.contains("AV1"), codecs);
  }

  private List<String> codecFamilies(Path lake) {
    return spark
        .read()
        .parquet(lake.resolve("tracks").toString())
        .select("codec_family")
        .orderBy("codec_family")
        .as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
  }
}
