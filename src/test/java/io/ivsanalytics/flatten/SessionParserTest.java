package io.ivsanalytics.flatten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SessionParserTest {
  private static final Instant FALLBACK = Instant.parse("2024-06-01T08:00:00Z");

  /**
   * The record of {@code text}, which the two ways a line is read give alike: from the decoded text
   * (a tree) and from its UTF-8 bytes (the session's events from the token stream when they have
   * the usual form, {@link StreamedResponse}): the same row values and the same odd fields in the
   * same order.
   */
  private static ParsedRecord parse(String text) {
    ParsedRecord fromText = SessionParser.parseText(text, "f.json", "f.json line 1", 1L, FALLBACK);
    byte[] utf8 = ("  " + text + "\n").getBytes(StandardCharsets.UTF_8);
    ParsedRecord fromBytes =
        SessionParser.parseUtf8(utf8, 2, utf8.length - 3, "f.json", "f.json line 1", 1L, FALLBACK);
    assertTrue(
        Arrays.deepEquals(fromText.values(), fromBytes.values()),
        () ->
            "text: "
                + Arrays.deepToString(fromText.values())
                + "\nbytes: "
                + Arrays.deepToString(fromBytes.values()));
    assertEquals(fromText.oddFields(), fromBytes.oddFields());
    return fromText;
  }

  /** Where a test puts fields of its own first in the session object. */
  private static final String SESSION = "\"streamSession\"\\s*:\\s*\\{";

  /** Whether the line's events were read from the token stream. */
  private static boolean streamed(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    StreamedResponse r = StreamedResponse.read(utf8, 0, utf8.length, "f.json line 1");
    return r != null && r.events != null;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        // the usual form, with fields in another order, extra fields, nulls, empty strings,
        // escapes and a repeated field (the last one counts)
        "[{\"name\": \"Session Created\", \"extra\": {\"a\": [1, {}]}, \"eventTime\":"
            + " \"2024-01-01T00:01:00.5Z\", \"type\": \"\", \"code\": null, \"x\": 3},"
            + " {\"eventTime\": \"later\", \"name\": \"A \\\"quoted\\\" \\u00e9v\u00e9nement\","
            + " \"name\": \"Stream Start\"}, {}]|true",
        "[]|true",
        // not the usual form: the whole line is a tree, with the tree's lenient rules
        "[{\"eventTime\": 1704067260, \"name\": 5, \"type\": true}]|false",
        "[{\"name\": [\"x\"]}, \"not an event\", null]|false",
        "null|false",
        "\"none\"|false",
      })
  void eventsReadFromTheStreamEqualTheTreesEvents(String events, boolean usual) {
    String text =
        Fixtures.text("legacy.json")
            .replaceFirst("\"truncatedEvents\"\\s*:", "\"truncatedEventsBefore\":")
            .replaceFirst(
                SESSION,
                Matcher.quoteReplacement(
                    "\"streamSession\": {\"truncatedEvents\": " + events + ", "));
    assertEquals(usual, streamed(text), text);
    ParsedRecord r = parse(text);
    assertFalse(r.isError());
  }

  @Test
  void aRepeatedEventsListOrSessionCountsAsInTheTree() {
    String legacy = Fixtures.text("legacy.json");
    String event = "{\"eventTime\": \"2024-01-01T00:01:00Z\", \"name\": \"Stream Start\"}";
    for (String[] lists :
        new String[][] {
          {"[" + event + "]", "null"},
          {"null", "[" + event + "]"},
          {"[" + event + "]", "[" + event + ", " + event + "]"}
        }) {
      String text =
          legacy
              .replaceFirst("\"truncatedEvents\"\\s*:", "\"truncatedEventsBefore\":")
              .replaceFirst(
                  SESSION,
                  "\"streamSession\": {\"truncatedEvents\": "
                      + lists[0]
                      + ", \"truncatedEvents\": "
                      + lists[1]
                      + ", ");
      ParsedRecord r = parse(text);
      assertFalse(r.isError(), text);
    }
    String twice =
        "{\"streamSession\": {\"streamId\": \"st-1\"}, \"streamSession\": "
            + legacy.substring(legacy.indexOf('{', legacy.indexOf("\"streamSession\"")));
    assertFalse(streamed(twice));
    parse(twice);
  }

  /** A nested struct with its schema, read by field name. */
  private record S(Object[] v, StructType schema) {
    Object getAs(String field) {
      return ParsedRecord.field(v, schema, field);
    }
  }

  private static List<S> list(ParsedRecord r, String field) {
    StructType schema = field.equals("tracks") ? RecordSchema.TRACK : RecordSchema.EVENT;
    return java.util.Arrays.stream((Object[]) r.get(field))
        .map(x -> new S((Object[]) x, schema))
        .toList();
  }

  private static Instant at(ParsedRecord r, String field) {
    Timestamp t = (Timestamp) r.get(field);
    return t == null ? null : t.toInstant();
  }

  private static Instant at(S r, String field) {
    Timestamp t = (Timestamp) r.getAs(field);
    return t == null ? null : t.toInstant();
  }

  @Test
  void completeResponseUsesIngestConfigurationsOnlyAndKeepsEveryChannelField() {
    ParsedRecord r = parse(Fixtures.text("complete.json"));
    assertNull(r.get("error"));
    assertEquals("123456789012", r.get("account_id"));
    assertEquals("us-west-2", r.get("region"));
    assertEquals("abcdABCDefgh", r.get("channel_id"));
    assertEquals(Instant.parse("2023-06-26T19:09:28Z"), at(r, "start_time"));
    assertEquals(1848L, (long) (Long) r.get("duration_seconds"));
    assertEquals(false, r.get("is_live"));
    assertEquals("2023-06-26", r.get("dt"));
    assertEquals(FALLBACK, at(r, "fetched_at"));
    assertNull(r.get("preset"), "empty string means not set");
    assertEquals("a1b2c3d4e5f6.srt.live-video.net", r.get("srt_endpoint"));
    assertEquals("FULL_HD", r.get("multitrack_maximum_resolution"));
    assertEquals(Map.of("team", "live-events", "env", "prod"), r.get("channel_tags"));
    List<S> tracks = list(r, "tracks");
    assertEquals(
        2, tracks.size(), "ingestConfiguration duplicates track0 and must not be counted again");
    assertEquals(1, (int) (Integer) r.get("video_track_count"));
    assertEquals(1, (int) (Integer) r.get("audio_track_count"));
    S video = tracks.get(0);
    assertEquals("video", video.getAs("media"));
    assertEquals("H.264", video.getAs("codec_family"));
    assertEquals("Main", video.getAs("profile"));
    assertEquals(6_000_000L, (long) (Long) video.getAs("target_bitrate"));
    List<S> events = list(r, "events");
    assertEquals(5, events.size());
    assertEquals("Session Ended", events.get(0).getAs("name"));
    assertEquals(0, (int) (Integer) events.get(0).getAs("event_index"));
    assertEquals("StreamTakeoverMediaMismatch", events.get(1).getAs("code"));
    assertEquals(Instant.parse("2023-06-26T19:15:00.250Z"), at(events.get(2), "event_time"));
    assertNull(events.get(4).getAs("code"));
    assertEquals(false, r.get("events_truncated"));
    S rec = new S((Object[]) r.get("recording"), RecordSchema.RECORDING_STRUCT);
    assertEquals("demo-recording-bucket", rec.getAs("s3_bucket"));
    assertEquals(List.of("HD", "SD"), List.of((Object[]) rec.getAs("renditions")));
    assertEquals(30L, (long) (Long) rec.getAs("thumbnail_target_interval_seconds"));
  }

  @Test
  void legacyOnlyResponseGivesTrack0WithDeprecatedProfileAndLevel() {
    ParsedRecord r = parse(Fixtures.text("legacy.json"));
    List<S> tracks = list(r, "tracks");
    assertEquals(2, tracks.size());
    S video = tracks.get(0);
    assertEquals("Baseline", video.getAs("profile"));
    assertEquals("3.0", video.getAs("level"));
    assertEquals("Track0", video.getAs("track"));
    S audio = tracks.get(1);
    assertEquals("HE-AAC", audio.getAs("codec_family"));
    assertEquals(1, (int) (Integer) audio.getAs("audio_channels"));
    assertNull(r.get("recording"));
  }

  @Test
  void multitrackResponseIndexesTracksPerMedia() {
    ParsedRecord r = parse(Fixtures.text("multitrack.json"));
    List<S> tracks = list(r, "tracks");
    assertEquals(
        List.of("video:0:Track0", "video:1:Track1", "video:2:Track2", "audio:0:Track0"),
        tracks.stream()
            .map(t -> t.getAs("media") + ":" + t.getAs("track_index") + ":" + t.getAs("track"))
            .toList());
    assertEquals("H.265", tracks.get(2).getAs("codec_family"));
    assertEquals(3, (int) (Integer) r.get("video_track_count"));
    assertNull(r.get("recording_configuration_arn"));
  }

  @Test
  void liveSessionHasNoEndAndNoDuration() {
    ParsedRecord r = parse(Fixtures.text("live.json"));
    assertNull(r.get("end_time"));
    assertNull(r.get("duration_seconds"));
    assertEquals(true, r.get("is_live"));
    assertEquals("2024-05-01", r.get("dt"), "23:59:59.999 UTC is still the 1st");
    assertEquals(
        List.of("AV1", "Opus"),
        list(r, "tracks").stream().map(t -> (String) t.getAs("codec_family")).toList());
  }

  @Test
  void unknownFieldsAreIgnoredAndUnknownEnumsKept() {
    ParsedRecord r = parse(Fixtures.text("unknown-fields.json"));
    assertNull(r.get("error"));
    assertEquals("ADVANCED_UHD", r.get("channel_type"));
    assertEquals("ULTRA_LOW", r.get("latency_mode"));
    assertEquals("Vidéo — 東京 🎥", r.get("channel_name"));
    assertEquals("テスト", ((Map<?, ?>) r.get("channel_tags")).get("名前"));
    assertEquals(Instant.parse("2024-02-29T12:05:00.123Z"), at(r, "fetched_at"));
    assertEquals(
        List.of("H.265", "ac-3"),
        list(r, "tracks").stream().map(t -> (String) t.getAs("codec_family")).toList());
    assertEquals(0, (int) (Integer) r.get("event_count"));
  }

  @Test
  void fiveHundredEventsMeansTruncated() throws Exception {
    ObjectNode doc = (ObjectNode) SessionParser.MAPPER.readTree(Fixtures.text("legacy.json"));
    for (int n : new int[] {499, 500}) {
      ArrayNode events = ((ObjectNode) doc.get("streamSession")).putArray("truncatedEvents");
      for (int i = 0; i < n; i++) {
        events
            .addObject()
            .put("eventTime", Instant.parse("2022-11-02T10:00:00Z").minusSeconds(i).toString())
            .put("name", "Stream Health")
            .put("type", "IVS Stream State Change");
      }
      ParsedRecord r = parse(doc.toString());
      assertEquals(n, (int) (Integer) r.get("event_count"));
      assertEquals(n == 500, r.get("events_truncated"));
      assertEquals(n - 1, (int) (Integer) list(r, "events").get(n - 1).getAs("event_index"));
    }
  }

  @Test
  void arnsThatShareAHashKeepTheirOwnParts() {
    // "Aa" and "BB" have the same String hash: each pair meets in one slot of the parsed ARNs.
    String base = "arn:aws:ivs:us-east-1:111122223333:channel/LegacyChan01";
    String[][] arns = {
      {"arn:aws:ivs:us-east-1:111122223333:channel/chanAa", "chanAa", "111122223333"},
      {"arn:aws:ivs:us-east-1:111122223333:channel/chanBB", "chanBB", "111122223333"},
      {"not-an-arn-Aa", null, null},
      {"not-an-arn-BB", null, null}
    };
    assertEquals(arns[0][0].hashCode(), arns[1][0].hashCode());
    assertEquals(arns[2][0].hashCode(), arns[3][0].hashCode());
    for (int round = 0; round < 2; round++) {
      for (String[] a : arns) {
        ParsedRecord r = parse(Fixtures.text("legacy.json").replace(base, a[0]));
        assertEquals(a[0], r.get("channel_arn"));
        assertEquals(a[1], r.get("channel_id"));
        assertEquals(a[2], r.get("account_id"));
      }
    }
  }

  @Test
  void malformedArnLeavesArnPartsNull() {
    ParsedRecord r =
        parse(
            Fixtures.text("legacy.json")
                .replace("arn:aws:ivs:us-east-1:111122223333:channel/LegacyChan01", "not-an-arn"));
    assertNull(r.get("error"));
    assertEquals("not-an-arn", r.get("channel_arn"));
    assertNull(r.get("account_id"));
    assertNull(r.get("region"));
    assertNull(r.get("channel_id"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "{\"streamSession\": {\"streamId\": |not valid JSON||",
        "{\"other\": 1}|no 'streamSession' object||",
        "{\"streamSession\": {\"channel\": {\"arn\":"
            + " \"arn:aws:ivs:us-east-1:111122223333:channel/abc\"}, \"startTime\":"
            + " \"2024-01-01T00:00:00Z\"}}|no"
            + " 'streamSession.streamId'|arn:aws:ivs:us-east-1:111122223333:channel/abc|",
        "{\"streamSession\": {\"streamId\": \"st-1\", \"channel\": {}, \"startTime\":"
            + " \"2024-01-01T00:00:00Z\"}}|no 'streamSession.channel.arn'||st-1",
        "{\"streamSession\": {\"streamId\": \"st-1\", \"channel\": {\"arn\": \"a\"}}}|no"
            + " 'streamSession.startTime'|a|st-1",
        "{\"streamSession\": {\"streamId\": \"st-1\", \"channel\": {\"arn\": \"a\"}, \"startTime\":"
            + " \"soon\"}}|'streamSession.startTime' is not an ISO-8601 time: \"soon\"|a|st-1",
        "[1, 2]|not a JSON object||"
      })
  void malformedResponseBecomesErrorRowNamingTheProblem(
      String json, String problem, String arn, String streamId) {
    ParsedRecord r = parse(json);
    S error = new S((Object[]) r.get("error"), RecordSchema.ERROR_STRUCT);
    assertEquals(SessionParser.MALFORMED, error.getAs("error_code"));
    String message = (String) error.getAs("message");
    assertTrue(message.startsWith("f.json line 1: "), message);
    assertTrue(message.contains(problem), message);
    assertEquals(arn, r.get("channel_arn"));
    assertEquals(streamId, r.get("stream_id"));
    assertEquals(0, (int) (Integer) error.getAs("attempts"));
  }

  @Test
  void oddFieldsAreRoundedOrNulledAndReportedButTheSessionStays() {
    String json =
        "{\"streamSession\": {\"streamId\": \"st-1\", \"channel\": {\"arn\": \"a\", \"name\":"
            + " {\"x\": 1}}, \"startTime\": \"2024-01-01T00:00:00Z\", \"endTime\": \"later\","
            + " \"ingestConfigurations\": {\"videoConfigurations\": [{\"targetFramerate\": 29.97,"
            + " \"targetBitrate\": \"fast\", \"videoWidth\": \"1280\", \"videoHeight\": 720}, \"not"
            + " a track\"]}, \"truncatedEvents\": [{\"eventTime\": \"2024-01-01T00:01:00Z\","
            + " \"name\": {}}]}}";
    ParsedRecord r = parse(json);
    assertFalse(r.isError());
    assertNull(r.get("channel_name"));
    assertNull(r.get("end_time"), "a bad endTime is null, as for a live session");
    assertEquals(true, r.get("is_live"));
    List<S> tracks = list(r, "tracks");
    assertEquals(1, tracks.size(), "the entry that is not an object is left out");
    assertEquals(30, tracks.get(0).getAs("target_framerate"));
    assertNull(tracks.get(0).getAs("target_bitrate"));
    assertEquals(1280, tracks.get(0).getAs("video_width"));
    assertEquals(720, tracks.get(0).getAs("video_height"));
    assertNull(list(r, "events").get(0).getAs("name"));
    assertEquals(Instant.parse("2024-01-01T00:01:00Z"), at(list(r, "events").get(0), "event_time"));
    List<String> kinds = r.oddFields().stream().map(ParsedRecord.OddField::kind).toList();
    assertEquals(
        List.of(
            "streamSession.endTime is not an ISO-8601 time: set to null",
            "channel.name is not a string: set to null",
            "ingestConfigurations.videoConfigurations[*].targetBitrate is not a number: set to"
                + " null",
            "ingestConfigurations.videoConfigurations[*].targetFramerate is not a whole number:"
                + " rounded",
            "ingestConfigurations.videoConfigurations[*].videoWidth is a number written as a"
                + " string: read as the number",
            "ingestConfigurations.videoConfigurations[*] is not an object: left out",
            "truncatedEvents[*].name is not a string: set to null"),
        kinds);
    ParsedRecord.OddField rounded = r.oddFields().get(3);
    assertEquals("29.97 at f.json line 1", rounded.value());
  }

  @Test
  void aByteOrderMarkBeforeTheTextIsIgnored() {
    ParsedRecord r = parse("\uFEFF" + Fixtures.text("legacy.json"));
    assertFalse(r.isError());
    assertEquals("st-LegacyOnly000001", r.get("stream_id"));
  }

  @ParameterizedTest
  @CsvSource({
    "avc1.4D401F,H.264",
    "avc1,H.264",
    "hvc1.1.6.L93.B0,H.265",
    "hev1.2.4.L120.B0,H.265",
    "av01.0.08M.08,AV1",
    "mp4a.40.2,AAC-LC",
    "mp4a.40.5,HE-AAC",
    "opus,Opus",
    "mp4a.40.29,mp4a.40.29",
    "avc3.64001F,avc3.64001F",
    "ac-3,ac-3"
  })
  void codecFamilyMapping(String codec, String family) {
    assertEquals(family, SessionParser.codecFamily(codec));
  }

  @ParameterizedTest
  @CsvSource({
    "2024-05-01T10:00:00Z",
    "2024-05-01T10:00:00.5Z",
    "2024-05-01T10:00:00.123456Z",
    "2024-05-01T12:00:00+02:00",
    "2024-05-01T05:30:00-04:30",
    "2024-02-29T23:59:59.999Z"
  })
  void fastTimeParserAgreesWithJavaTime(String text) {
    assertEquals(
        java.time.OffsetDateTime.parse(text)
            .toInstant()
            .truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
        Timestamps.fastIso(text));
  }

  @Test
  void fastTimeParserDeclinesOtherShapes() {
    for (String t :
        List.of(
            "2024-02-30T00:00:00Z",
            "2024-05-01T10:00:00",
            "2024-05-01 10:00:00Z",
            "2024-13-01T00:00:00Z")) {
      assertNull(Timestamps.fastIso(t), t);
    }
    assertFalse(
        parse(Fixtures.text("legacy.json").replace("2022-11-02T09:00:00Z", "2022-11-02T09:00:00"))
                .get("dt")
            == null);
  }
}
