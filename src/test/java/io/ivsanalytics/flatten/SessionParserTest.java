package io.ivsanalytics.flatten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import scala.jdk.javaapi.CollectionConverters;

class SessionParserTest {
  private static final Instant FALLBACK = Instant.parse("2024-06-01T08:00:00Z");

  private static Row parse(String text) {
    return SessionParser.parseText(text, "f.json", "f.json line 1", 1L, FALLBACK);
  }

  private static List<Row> list(Row r, String field) {
    return CollectionConverters.asJava(r.<scala.collection.Seq<Row>>getAs(field));
  }

  private static Instant at(Row r, String field) {
    Timestamp t = r.getAs(field);
    return t == null ? null : t.toInstant();
  }

  @Test
  void completeResponseUsesIngestConfigurationsOnlyAndKeepsEveryChannelField() {
    Row r = parse(Fixtures.text("complete.json"));
    assertNull(r.getAs("error"));
    assertEquals("123456789012", r.getAs("account_id"));
    assertEquals("us-west-2", r.getAs("region"));
    assertEquals("abcdABCDefgh", r.getAs("channel_id"));
    assertEquals(Instant.parse("2023-06-26T19:09:28Z"), at(r, "start_time"));
    assertEquals(1848L, (long) r.<Long>getAs("duration_seconds"));
    assertEquals(false, r.getAs("is_live"));
    assertEquals("2023-06-26", r.getAs("dt"));
    assertEquals(FALLBACK, at(r, "fetched_at"));
    assertNull(r.getAs("preset"), "empty string means not set");
    assertEquals("a1b2c3d4e5f6.srt.live-video.net", r.getAs("srt_endpoint"));
    assertEquals("FULL_HD", r.getAs("multitrack_maximum_resolution"));
    assertEquals(Map.of("team", "live-events", "env", "prod"),
        CollectionConverters.asJava(r.<scala.collection.Map<String, String>>getAs("channel_tags")));
    List<Row> tracks = list(r, "tracks");
    assertEquals(2, tracks.size(), "ingestConfiguration duplicates track0 and must not be counted again");
    assertEquals(1, (int) r.<Integer>getAs("video_track_count"));
    assertEquals(1, (int) r.<Integer>getAs("audio_track_count"));
    Row video = tracks.get(0);
    assertEquals("video", video.getAs("media"));
    assertEquals("H.264", video.getAs("codec_family"));
    assertEquals("Main", video.getAs("profile"));
    assertEquals(6_000_000L, (long) video.<Long>getAs("target_bitrate"));
    List<Row> events = list(r, "events");
    assertEquals(5, events.size());
    assertEquals("Session Ended", events.get(0).getAs("name"));
    assertEquals(0, (int) events.get(0).<Integer>getAs("event_index"));
    assertEquals("StreamTakeoverMediaMismatch", events.get(1).getAs("code"));
    assertEquals(Instant.parse("2023-06-26T19:15:00.250Z"), at(events.get(2), "event_time"));
    assertNull(events.get(4).getAs("code"));
    assertEquals(false, r.getAs("events_truncated"));
    Row rec = r.getAs("recording");
    assertEquals("demo-recording-bucket", rec.getAs("s3_bucket"));
    assertEquals(List.of("HD", "SD"), CollectionConverters.asJava(rec.<scala.collection.Seq<String>>getAs("renditions")));
    assertEquals(30L, (long) rec.<Long>getAs("thumbnail_target_interval_seconds"));
  }

  @Test
  void legacyOnlyResponseGivesTrack0WithDeprecatedProfileAndLevel() {
    Row r = parse(Fixtures.text("legacy.json"));
    List<Row> tracks = list(r, "tracks");
    assertEquals(2, tracks.size());
    Row video = tracks.get(0);
    assertEquals("Baseline", video.getAs("profile"));
    assertEquals("3.0", video.getAs("level"));
    assertEquals("Track0", video.getAs("track"));
    Row audio = tracks.get(1);
    assertEquals("HE-AAC", audio.getAs("codec_family"));
    assertEquals(1, (int) audio.<Integer>getAs("audio_channels"));
    assertNull(r.getAs("recording"));
  }

  @Test
  void multitrackResponseIndexesTracksPerMedia() {
    Row r = parse(Fixtures.text("multitrack.json"));
    List<Row> tracks = list(r, "tracks");
    assertEquals(List.of("video:0:Track0", "video:1:Track1", "video:2:Track2", "audio:0:Track0"),
        tracks.stream().map(t -> t.getAs("media") + ":" + t.getAs("track_index") + ":" + t.getAs("track")).toList());
    assertEquals("H.265", tracks.get(2).getAs("codec_family"));
    assertEquals(3, (int) r.<Integer>getAs("video_track_count"));
    assertNull(r.getAs("recording_configuration_arn"));
  }

  @Test
  void liveSessionHasNoEndAndNoDuration() {
    Row r = parse(Fixtures.text("live.json"));
    assertNull(r.getAs("end_time"));
    assertNull(r.getAs("duration_seconds"));
    assertEquals(true, r.getAs("is_live"));
    assertEquals("2024-05-01", r.getAs("dt"), "23:59:59.999 UTC is still the 1st");
    assertEquals(List.of("AV1", "Opus"), list(r, "tracks").stream().map(t -> (String) t.getAs("codec_family")).toList());
  }

  @Test
  void unknownFieldsAreIgnoredAndUnknownEnumsKept() {
    Row r = parse(Fixtures.text("unknown-fields.json"));
    assertNull(r.getAs("error"));
    assertEquals("ADVANCED_UHD", r.getAs("channel_type"));
    assertEquals("ULTRA_LOW", r.getAs("latency_mode"));
    assertEquals("Vidéo — 東京 🎥", r.getAs("channel_name"));
    assertEquals("テスト", CollectionConverters.asJava(r.<scala.collection.Map<String, String>>getAs("channel_tags")).get("名前"));
    assertEquals(Instant.parse("2024-02-29T12:05:00.123Z"), at(r, "fetched_at"));
    assertEquals(List.of("H.265", "ac-3"), list(r, "tracks").stream().map(t -> (String) t.getAs("codec_family")).toList());
    assertEquals(0, (int) r.<Integer>getAs("event_count"));
  }

  @Test
  void fiveHundredEventsMeansTruncated() throws Exception {
    ObjectNode doc = (ObjectNode) SessionParser.MAPPER.readTree(Fixtures.text("legacy.json"));
    for (int n : new int[] {499, 500}) {
      ArrayNode events = ((ObjectNode) doc.get("streamSession")).putArray("truncatedEvents");
      for (int i = 0; i < n; i++) {
        events.addObject().put("eventTime", Instant.parse("2022-11-02T10:00:00Z").minusSeconds(i).toString())
            .put("name", "Stream Health").put("type", "IVS Stream State Change");
      }
      Row r = parse(doc.toString());
      assertEquals(n, (int) r.<Integer>getAs("event_count"));
      assertEquals(n == 500, r.getAs("events_truncated"));
      assertEquals(n - 1, (int) list(r, "events").get(n - 1).<Integer>getAs("event_index"));
    }
  }

  @Test
  void malformedArnLeavesArnPartsNull() {
    Row r = parse(Fixtures.text("legacy.json").replace("arn:aws:ivs:us-east-1:111122223333:channel/LegacyChan01", "not-an-arn"));
    assertNull(r.getAs("error"));
    assertEquals("not-an-arn", r.getAs("channel_arn"));
    assertNull(r.getAs("account_id"));
    assertNull(r.getAs("region"));
    assertNull(r.getAs("channel_id"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "{\"streamSession\": {\"streamId\": |not valid JSON||",
        "{\"other\": 1}|no 'streamSession' object||",
        "{\"streamSession\": {\"channel\": {\"arn\": \"arn:aws:ivs:us-east-1:111122223333:channel/abc\"}, \"startTime\": \"2024-01-01T00:00:00Z\"}}|no 'streamSession.streamId'|arn:aws:ivs:us-east-1:111122223333:channel/abc|",
        "{\"streamSession\": {\"streamId\": \"st-1\", \"channel\": {}, \"startTime\": \"2024-01-01T00:00:00Z\"}}|no 'streamSession.channel.arn'||st-1",
        "{\"streamSession\": {\"streamId\": \"st-1\", \"channel\": {\"arn\": \"a\"}}}|no 'streamSession.startTime'|a|st-1",
        "{\"streamSession\": {\"streamId\": \"st-1\", \"channel\": {\"arn\": \"a\"}, \"startTime\": \"soon\"}}|'streamSession.startTime' is not an ISO-8601 time: \"soon\"|a|st-1",
        "{\"streamSession\": {\"streamId\": \"st-1\", \"channel\": {\"arn\": \"a\"}, \"startTime\": \"2024-01-01T00:00:00Z\", \"truncatedEvents\": [{}, {\"eventTime\": 5, \"name\": {}}]}}|'truncatedEvents[1].name' must be a string|a|st-1",
        "{\"streamSession\": {\"streamId\": \"st-1\", \"channel\": {\"arn\": \"a\"}, \"startTime\": \"2024-01-01T00:00:00Z\", \"ingestConfigurations\": {\"videoConfigurations\": [{\"targetBitrate\": \"fast\"}]}}}|'ingestConfigurations.videoConfigurations[0].targetBitrate' must be a whole number, got \"fast\"|a|st-1"
      })
  void malformedResponseBecomesErrorRowNamingTheProblem(String json, String problem, String arn, String streamId) {
    Row r = parse(json);
    Row error = r.getAs("error");
    assertEquals(SessionParser.MALFORMED, error.getAs("error_code"));
    String message = error.getAs("message");
    assertTrue(message.startsWith("f.json line 1: "), message);
    assertTrue(message.contains(problem), message);
    assertEquals(arn, r.getAs("channel_arn"));
    assertEquals(streamId, r.getAs("stream_id"));
    assertEquals(0, (int) error.<Integer>getAs("attempts"));
  }

  @ParameterizedTest
  @CsvSource({
    "avc1.4D401F,H.264", "avc1,H.264", "hvc1.1.6.L93.B0,H.265", "hev1.2.4.L120.B0,H.265", "av01.0.08M.08,AV1",
    "mp4a.40.2,AAC-LC", "mp4a.40.5,HE-AAC", "opus,Opus", "mp4a.40.29,mp4a.40.29", "avc3.64001F,avc3.64001F", "ac-3,ac-3"
  })
  void codecFamilyMapping(String codec, String family) {
    assertEquals(family, SessionParser.codecFamily(codec));
  }

  @ParameterizedTest
  @CsvSource({
    "2024-05-01T10:00:00Z", "2024-05-01T10:00:00.5Z", "2024-05-01T10:00:00.123456Z", "2024-05-01T12:00:00+02:00",
    "2024-05-01T05:30:00-04:30", "2024-02-29T23:59:59.999Z"
  })
  void fastTimeParserAgreesWithJavaTime(String text) {
    assertEquals(java.time.OffsetDateTime.parse(text).toInstant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), SessionParser.fastIso(text));
  }

  @Test
  void fastTimeParserDeclinesOtherShapes() {
    for (String t : List.of("2024-02-30T00:00:00Z", "2024-05-01T10:00:00", "2024-05-01 10:00:00Z", "2024-13-01T00:00:00Z")) {
      assertNull(SessionParser.fastIso(t), t);
    }
    assertFalse(parse(Fixtures.text("legacy.json").replace("2022-11-02T09:00:00Z", "2022-11-02T09:00:00")).getAs("dt") == null);
  }
}
