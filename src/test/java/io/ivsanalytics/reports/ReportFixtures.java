package io.ivsanalytics.reports;

import io.ivsanalytics.model.Schemas.Table;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * A small hand-made lake (window 2024-05-06 .. 2024-05-13) whose report rows the tests compute by
 * hand. Tables are written with the lake's schemas, partitioned by dt, exactly like the flatten
 * stage writes them.
 */
public final class ReportFixtures {
  static final String ACCOUNT = "arn:aws:ivs:us-west-2:123456789012:channel/";
  public static final String REC1 = "arn:aws:ivs:us-west-2:123456789012:recording-configuration/r1";
  static final String REC2 = "arn:aws:ivs:us-west-2:123456789012:recording-configuration/r2";
  public static final String SCRIPT_NAME = "<script>alert(1)</script>";

  private final List<Row> sessions = new ArrayList<>();
  private final List<Row> tracks = new ArrayList<>();
  private final List<Row> events = new ArrayList<>();
  private final List<Row> fetchErrors = new ArrayList<>();

  /** The standard fixture: see ReportStageTest for the expected rows. */
  public static ReportFixtures standard() {
    ReportFixtures f = new ReportFixtures();
    // S1 BASIC, recorded, no takeovers; 720p at 3,000,000 bps conforms.
    f.session(
        "aaa", "st-1", "2024-05-06T10:00:00Z", "BASIC", 3600L, REC1, false, null, 1, "Main stage");
    f.video(
        "aaa",
        "st-1",
        "2024-05-06T10:00:00Z",
        "BASIC",
        0,
        "avc1.64001F",
        "H.264",
        3_000_000L,
        30,
        1280,
        720,
        "Larix");
    f.audio("aaa", "st-1", "2024-05-06T10:00:00Z", "BASIC", 1, "mp4a.40.2", "AAC-LC");
    f.event("aaa", "st-1", "BASIC", 0, "Session Created", null);
    f.event("aaa", "st-1", "BASIC", 1, "Recording Start Failure", null);
    // S2 STANDARD multitrack (REQUIRED): 1080p over bitrate, portrait 1080x1920 conforms.
    f.session(
        "bbb",
        "st-2",
        "2024-05-07T12:00:00Z",
        "STANDARD",
        1800L,
        null,
        true,
        "REQUIRED",
        2,
        "Tag \"quoted\" & 'single'");
    f.video(
        "bbb",
        "st-2",
        "2024-05-07T12:00:00Z",
        "STANDARD",
        0,
        "avc1.640028",
        "H.264",
        8_789_062L,
        30,
        1920,
        1080,
        "OBS 30.1");
    f.video(
        "bbb",
        "st-2",
        "2024-05-07T12:00:00Z",
        "STANDARD",
        1,
        "avc1.640028",
        "H.264",
        6_000_000L,
        60,
        1080,
        1920,
        "OBS 30.1");
    f.audio("bbb", "st-2", "2024-05-07T12:00:00Z", "STANDARD", 2, "opus", "Opus");
    f.event("bbb", "st-2", "STANDARD", 0, "Stream Takeover", null);
    f.event("bbb", "st-2", "STANDARD", 1, "Stream Takeover Failure", "StreamTakeoverMediaMismatch");
    // S3 STANDARD, live, recorded: 1440p over resolution; AV1 track without size/bitrate at 120
    // fps.
    f.session(
        "bbb",
        "st-3",
        "2024-05-07T23:59:59Z",
        "STANDARD",
        null,
        REC2,
        true,
        "ALLOW",
        2,
        "Tag \"quoted\" & 'single'");
    f.video(
        "bbb",
        "st-3",
        "2024-05-07T23:59:59Z",
        "STANDARD",
        0,
        "hvc1.1.6.L120.90",
        "H.265",
        6_000_000L,
        30,
        2560,
        1440,
        "OBS 30.1");
    f.video(
        "bbb",
        "st-3",
        "2024-05-07T23:59:59Z",
        "STANDARD",
        1,
        "av01.0.08M.08",
        "AV1",
        null,
        120,
        null,
        null,
        "Larix");
    f.audio("bbb", "st-3", "2024-05-07T23:59:59Z", "STANDARD", 2, "=cmd()", "=cmd()");
    f.event(
        "bbb", "st-3", "STANDARD", 0, "Stream Takeover Failure", "StreamTakeoverInvalidPriority");
    f.event("bbb", "st-3", "STANDARD", 1, "Stream Takeover Failure", null);
    f.event("bbb", "st-3", "STANDARD", 2, "Starvation Start", null);
    // S4 ADVANCED_HD, recorded: exactly at the limits.
    f.session(
        "ccc", "st-4", "2024-05-12T08:00:00Z", "ADVANCED_HD", 600L, REC1, false, null, 1, "Studio");
    f.video(
        "ccc",
        "st-4",
        "2024-05-12T08:00:00Z",
        "ADVANCED_HD",
        0,
        "avc1.640028",
        "H.264",
        8_500_000L,
        60,
        1920,
        1080,
        "Wirecast");
    f.audio("ccc", "st-4", "2024-05-12T08:00:00Z", "ADVANCED_HD", 1, "mp4a.40.2", "AAC-LC");
    f.event(
        "ccc", "st-4", "ADVANCED_HD", 0, "Stream Takeover Failure", "StreamTakeoverLimitBreached");
    f.event("ccc", "st-4", "ADVANCED_HD", 1, "Stream Takeover Failure", "=HYPERLINK(\"x\")");
    // S5 an unknown channel type (starts with '-'), a bogus negative bitrate, a hostile name.
    f.session(
        "ddd", "st-5", "2024-05-08T01:00:00Z", "-ROGUE", 100L, null, false, null, 1, SCRIPT_NAME);
    f.video(
        "ddd",
        "st-5",
        "2024-05-08T01:00:00Z",
        "-ROGUE",
        0,
        "avc1.42001E",
        "H.264",
        -1L,
        null,
        null,
        null);
    // S8 BASIC 480p at 2,000,000 bps: over the 1.5 Mbps low-resolution limit.
    f.session("eee", "st-8", "2024-05-09T18:30:00Z", "BASIC", 1200L, null, false, null, 1, "Lobby");
    f.video(
        "eee",
        "st-8",
        "2024-05-09T18:30:00Z",
        "BASIC",
        0,
        "avc1.4D401E",
        "H.264",
        2_000_000L,
        30,
        854,
        480,
        "OBS 30.1");
    f.audio("eee", "st-8", "2024-05-09T18:30:00Z", "BASIC", 1, "mp4a.40.2", "AAC-LC");
    // Outside the window: the day before and the end day itself.
    f.session(
        "aaa", "st-6", "2024-05-05T23:00:00Z", "BASIC", 60L, REC1, false, null, 1, "Main stage");
    f.video(
        "aaa",
        "st-6",
        "2024-05-05T23:00:00Z",
        "BASIC",
        0,
        "avc1.64001F",
        "H.264",
        9_000_000L,
        30,
        3840,
        2160);
    f.event("aaa", "st-6", "BASIC", 0, "Stream Takeover Failure", "StreamTakeoverMediaMismatch");
    f.session(
        "aaa", "st-7", "2024-05-13T00:00:00Z", "BASIC", 60L, null, false, null, 1, "Main stage");
    f.video(
        "aaa",
        "st-7",
        "2024-05-13T00:00:00Z",
        "BASIC",
        0,
        "avc1.64001F",
        "H.264",
        9_000_000L,
        30,
        1280,
        720);
    f.event("aaa", "st-7", "BASIC", 0, "Stream Takeover", null);
    // Earlier weeks, read only by the weekly trend: S9 in ISO week 2024-W15 (a successful
    // takeover, a conforming track); S10 before the trend's twelve weeks (from 2024-02-19).
    f.session(
        "iii", "st-9", "2024-04-10T09:00:00Z", "STANDARD", 900L, null, false, null, 1, "Archive");
    f.video(
        "iii",
        "st-9",
        "2024-04-10T09:00:00Z",
        "STANDARD",
        0,
        "avc1.640028",
        "H.264",
        6_000_000L,
        30,
        1920,
        1080);
    f.event("iii", "st-9", "STANDARD", 0, "Stream Takeover", null);
    f.session(
        "iii", "st-10", "2024-02-12T09:00:00Z", "BASIC", 900L, null, false, null, 1, "Archive");
    f.event("iii", "st-10", "BASIC", 0, "Stream Takeover Failure", "StreamTakeoverLimitBreached");
    // Fetch errors of the run on 2024-05-13; one of an older run and one of a later run (another
    // window) are not counted.
    f.fetchError("fff", "st-x1", "ThrottlingException", 429, "2024-05-13");
    f.fetchError("ggg", "st-x2", "ThrottlingException", 429, "2024-05-13");
    f.fetchError("fff", "st-x3", "ResourceNotFoundException", 404, "2024-05-13");
    f.fetchError("hhh", "st-x4", "AccessDeniedException", 403, "2024-04-01");
    f.fetchError("hhh", "", "ResourceNotFoundException", 404, "2024-06-03");
    return f;
  }

  public void write(SparkSession spark, Path lake) {
    write(spark, lake, Table.SESSIONS, sessions);
    write(spark, lake, Table.TRACKS, tracks);
    write(spark, lake, Table.EVENTS, events);
    write(spark, lake, Table.FETCH_ERRORS, fetchErrors);
  }

  private static void write(SparkSession spark, Path lake, Table table, List<Row> rows) {
    spark
        .createDataFrame(rows, table.schema())
        .coalesce(1)
        .write()
        .mode("overwrite")
        .partitionBy("dt")
        .parquet(lake.resolve(table.dirName()).toString());
  }

  void session(
      String ch,
      String stream,
      String start,
      String type,
      Long duration,
      String recArn,
      boolean multitrack,
      String policy,
      int videoTracks,
      String name) {
    Instant s = Instant.parse(start);
    sessions.add(
        row(
            Table.SESSIONS.schema(),
            "channel_arn",
            ACCOUNT + ch,
            "account_id",
            "123456789012",
            "region",
            "us-west-2",
            "channel_id",
            ch,
            "stream_id",
            stream,
            "start_time",
            Timestamp.from(s),
            "end_time",
            duration == null ? null : Timestamp.from(s.plusSeconds(duration)),
            "duration_seconds",
            duration,
            "is_live",
            duration == null,
            "channel_name",
            name,
            "channel_type",
            type,
            "recording_configuration_arn",
            recArn,
            "multitrack_enabled",
            multitrack,
            "multitrack_policy",
            policy,
            "video_track_count",
            videoTracks,
            "audio_track_count",
            1,
            "channel_tags",
            ch.equals("bbb") ? Map.of("env", "prod", "note", "say \"hi\" & 'bye'") : Map.of(),
            "fetched_at",
            Timestamp.from(Instant.parse("2024-05-13T06:00:00Z")),
            "dt",
            start.substring(0, 10)));
  }

  void video(
      String ch,
      String stream,
      String start,
      String type,
      int index,
      String codec,
      String family,
      Long bitrate,
      Integer fps,
      Integer w,
      Integer h) {
    video(ch, stream, start, type, index, codec, family, bitrate, fps, w, h, null);
  }

  void video(
      String ch,
      String stream,
      String start,
      String type,
      int index,
      String codec,
      String family,
      Long bitrate,
      Integer fps,
      Integer w,
      Integer h,
      String encoder) {
    tracks.add(
        row(
            Table.TRACKS.schema(),
            "encoder",
            encoder,
            "channel_arn",
            ACCOUNT + ch,
            "stream_id",
            stream,
            "start_time",
            Timestamp.from(Instant.parse(start)),
            "channel_type",
            type,
            "media",
            "video",
            "track",
            "Track" + index,
            "track_index",
            index,
            "codec",
            codec,
            "codec_family",
            family,
            "target_bitrate",
            bitrate,
            "target_framerate",
            fps,
            "video_width",
            w,
            "video_height",
            h,
            "dt",
            start.substring(0, 10)));
  }

  void audio(
      String ch, String stream, String start, String type, int index, String codec, String family) {
    tracks.add(
        row(
            Table.TRACKS.schema(),
            "channel_arn",
            ACCOUNT + ch,
            "stream_id",
            stream,
            "start_time",
            Timestamp.from(Instant.parse(start)),
            "channel_type",
            type,
            "media",
            "audio",
            "track",
            "Track" + index,
            "track_index",
            index,
            "codec",
            codec,
            "codec_family",
            family,
            "target_bitrate",
            160_000L,
            "audio_channels",
            2,
            "sample_rate",
            48000,
            "dt",
            start.substring(0, 10)));
  }

  void event(String ch, String stream, String type, int index, String name, String code) {
    String dt =
        sessions.stream()
            .filter(r -> r.getString(4).equals(stream))
            .map(r -> r.getString(r.size() - 1))
            .findFirst()
            .orElseThrow();
    events.add(
        row(
            Table.EVENTS.schema(),
            "channel_arn",
            ACCOUNT + ch,
            "stream_id",
            stream,
            "channel_type",
            type,
            "event_index",
            index,
            "event_time",
            Timestamp.from(Instant.parse(dt + "T12:00:00Z")),
            "name",
            name,
            "type",
            name.startsWith("Recording") ? "IVS Recording State Change" : "IVS Stream State Change",
            "code",
            code,
            "dt",
            dt));
  }

  void fetchError(String ch, String stream, String code, int status, String dt) {
    fetchErrors.add(
        row(
            Table.FETCH_ERRORS.schema(),
            "channel_arn",
            ACCOUNT + ch,
            "stream_id",
            stream,
            "error_code",
            code,
            "http_status",
            status,
            "message",
            "failed",
            "attempts",
            8,
            "fetched_at",
            Timestamp.from(Instant.parse(dt + "T06:00:00Z")),
            "dt",
            dt));
  }

  /** A row of {@code schema}: the named columns set, every other column null. */
  static Row row(StructType schema, Object... namesAndValues) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String name = (String) namesAndValues[i];
      schema.fieldIndex(name);
      values.put(name, namesAndValues[i + 1]);
    }
    Object[] cells = new Object[schema.size()];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = values.get(schema.fields()[i].name());
    }
    return RowFactory.create(cells);
  }
}
