package io.ivsanalytics.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.TestSpark;
import io.ivsanalytics.cli.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every expected row below is computed by hand from {@link ReportFixtures#standard()}. */
class ReportStageTest {
  @TempDir static Path dir;
  static Path out;
  static ReportSummary summary;

  @BeforeAll
  static void runReports() {
    SparkSession spark = TestSpark.session();
    Path lake = dir.resolve("lake");
    ReportFixtures.standard().write(spark, lake);
    out = dir.resolve("reports");
    summary = ReportStage.run(spark, lake.toString(), LocalDate.parse("2024-05-06"), LocalDate.parse("2024-05-13"),
        out, Settings.defaults());
  }

  @org.junit.jupiter.api.AfterAll
  static void keepPreview() throws Exception {
    Path preview = Path.of("target", "report-preview");
    Files.createDirectories(preview);
    Files.copy(out.resolve("report.html"), preview.resolve("fixture-report.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  static String csv(String... lines) {
    return String.join("\r\n", lines) + "\r\n";
  }

  static String read(String file) throws Exception {
    return Files.readString(out.resolve(file), StandardCharsets.UTF_8);
  }

  @Test
  void takeoverFailureRatesPerChannelTypeThenAll() throws Exception {
    assertEquals(
        csv(
            "channel_type,sessions,sessions_with_takeover,takeover_attempts,takeover_successes,takeover_failures,failure_rate,invalid_priority,media_mismatch,limit_breached,other_failure_code",
            "'-ROGUE,1,0,0,0,0,,0,0,0,0",
            "ADVANCED_HD,1,1,2,0,2,1.0000,0,0,1,1",
            "BASIC,2,0,0,0,0,,0,0,0,0",
            "STANDARD,2,2,4,1,3,0.7500,1,1,0,1",
            "ALL,6,3,6,1,5,0.8333,1,1,1,2"),
        read("takeover_failure_rates.csv"));
  }

  @Test
  void codecDistributionWithSharesOfMediaPerChannelType() throws Exception {
    assertEquals(
        csv(
            "channel_type,media,codec_family,codec,sessions,tracks,share_of_tracks",
            "'-ROGUE,video,H.264,avc1.42001E,1,1,1.0000",
            "ADVANCED_HD,audio,AAC-LC,mp4a.40.2,1,1,1.0000",
            "ADVANCED_HD,video,H.264,avc1.640028,1,1,1.0000",
            "BASIC,audio,AAC-LC,mp4a.40.2,2,2,1.0000",
            "BASIC,video,H.264,avc1.4D401E,1,1,0.5000",
            "BASIC,video,H.264,avc1.64001F,1,1,0.5000",
            "STANDARD,audio,'=cmd(),'=cmd(),1,1,0.5000",
            "STANDARD,audio,Opus,opus,1,1,0.5000",
            "STANDARD,video,AV1,av01.0.08M.08,1,1,0.2500",
            "STANDARD,video,H.264,avc1.640028,1,2,0.5000",
            "STANDARD,video,H.265,hvc1.1.6.L120.90,1,1,0.2500"),
        read("codec_distribution.csv"));
  }

  @Test
  void bitrateConformanceAgainstChannelTypeLimits() throws Exception {
    // BASIC: 720p at 3.0 Mbps conforms (3.5 Mbps above 480p), 480p at 2.0 Mbps is over 1.5 Mbps.
    // STANDARD: 8,789,062 bps over 8.5 Mbps; portrait 1080x1920 conforms; 2560x1440 over
    // resolution; 120 fps over frame rate (its missing size and bitrate break nothing).
    // -ROGUE has no limits: counted, not evaluated; ALL's rate is 3 of 7 evaluated tracks.
    assertEquals(
        csv(
            "channel_type,video_tracks,conformant_tracks,over_bitrate,over_resolution,over_framerate,conformance_rate,limit_bitrate_bps,p50_target_bitrate,p95_target_bitrate",
            "'-ROGUE,1,,,,,,,-1,-1",
            "ADVANCED_HD,1,1,0,0,0,1.0000,8500000,8500000,8500000",
            "BASIC,2,1,1,0,0,0.5000,3500000,2000000,3000000",
            "STANDARD,4,1,1,1,1,0.2500,8500000,6000000,8789062",
            "ALL,8,3,2,1,1,0.4286,,6000000,8789062"),
        read("bitrate_conformance.csv"));
  }

  @Test
  void sessionDurationPercentilesLeaveLiveSessionsOut() throws Exception {
    assertEquals(
        csv(
            "channel_type,sessions,ended_sessions,live_sessions,p50_duration_seconds,p90_duration_seconds,p99_duration_seconds,max_duration_seconds",
            "'-ROGUE,1,1,0,100,100,100,100",
            "ADVANCED_HD,1,1,0,600,600,600,600",
            "BASIC,2,2,0,1200,3600,3600,3600",
            "STANDARD,2,1,1,1800,1800,1800,1800",
            "ALL,6,5,1,1200,3600,3600,3600"),
        read("session_duration_percentiles.csv"));
  }

  @Test
  void recordingAndMultitrackUsage() throws Exception {
    assertEquals(
        csv(
            "channel_type,sessions,recorded_sessions,recording_rate,recording_configurations,recorded_hours",
            "'-ROGUE,1,0,0.0000,0,0.0000",
            "ADVANCED_HD,1,1,1.0000,1,0.1667",
            "BASIC,2,1,0.5000,1,1.0000",
            "STANDARD,2,1,0.5000,1,0.0000",
            "ALL,6,3,0.5000,2,1.1667"),
        read("recording_usage.csv"));
    assertEquals(
        csv(
            "channel_type,sessions,multitrack_enabled_sessions,multitrack_required_sessions,multitrack_sessions,adoption_rate,max_video_tracks",
            "'-ROGUE,1,0,0,0,0.0000,1",
            "ADVANCED_HD,1,0,0,0,0.0000,1",
            "BASIC,2,0,0,0,0.0000,1",
            "STANDARD,2,2,1,2,1.0000,2",
            "ALL,6,2,1,2,0.3333,2"),
        read("multitrack_adoption.csv"));
  }

  @Test
  void errorEventsPerTypeNameAndCode() throws Exception {
    assertEquals(
        csv(
            "channel_type,name,code,events,sessions",
            "ADVANCED_HD,Stream Takeover Failure,\"'=HYPERLINK(\"\"x\"\")\",1,1",
            "ADVANCED_HD,Stream Takeover Failure,StreamTakeoverLimitBreached,1,1",
            "BASIC,Recording Start Failure,,1,1",
            "STANDARD,Starvation Start,,1,1",
            "STANDARD,Stream Takeover Failure,StreamTakeoverInvalidPriority,1,1",
            "STANDARD,Stream Takeover Failure,StreamTakeoverMediaMismatch,1,1",
            "STANDARD,Stream Takeover Failure,,1,1",
            "ALL,Recording Start Failure,,1,1",
            "ALL,Starvation Start,,1,1",
            "ALL,Stream Takeover Failure,\"'=HYPERLINK(\"\"x\"\")\",1,1",
            "ALL,Stream Takeover Failure,StreamTakeoverInvalidPriority,1,1",
            "ALL,Stream Takeover Failure,StreamTakeoverLimitBreached,1,1",
            "ALL,Stream Takeover Failure,StreamTakeoverMediaMismatch,1,1",
            "ALL,Stream Takeover Failure,,1,1"),
        read("error_events.csv"));
  }

  @Test
  void dailySessionsCoverEveryDayOfTheWindow() throws Exception {
    assertEquals(
        csv(
            "dt,channel_type,sessions,channels",
            "2024-05-06,BASIC,1,1",
            "2024-05-06,ALL,1,1",
            "2024-05-07,STANDARD,2,1",
            "2024-05-07,ALL,2,1",
            "2024-05-08,'-ROGUE,1,1",
            "2024-05-08,ALL,1,1",
            "2024-05-09,BASIC,1,1",
            "2024-05-09,ALL,1,1",
            "2024-05-10,ALL,0,0",
            "2024-05-11,ALL,0,0",
            "2024-05-12,ADVANCED_HD,1,1",
            "2024-05-12,ALL,1,1"),
        read("daily_sessions.csv"));
  }

  @Test
  void topChannelsWithNameTypeAndTagsOfTheirLatestSession() throws Exception {
    String arn = ReportFixtures.ACCOUNT;
    assertEquals(
        csv(
            "channel_arn,channel_name,channel_type,tags,sessions,live_sessions,streamed_hours",
            arn + "bbb,\"Tag \"\"quoted\"\" & 'single'\",STANDARD,\"env=prod; note=say \"\"hi\"\" & 'bye'\",2,1,0.5000",
            arn + "aaa,Main stage,BASIC,,1,0,1.0000",
            arn + "ccc,Studio,ADVANCED_HD,,1,0,0.1667",
            arn + "ddd,<script>alert(1)</script>,'-ROGUE,,1,0,0.0278",
            arn + "eee,Lobby,BASIC,,1,0,0.3333"),
        read("top_channels.csv"));
    String html = read("report.html");
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertTrue(html.contains("Tag &quot;quoted&quot; &amp; &#39;single&#39;"));
    assertTrue(html.contains("note=say &quot;hi&quot; &amp; &#39;bye&#39;"));
    assertTrue(!html.contains("<script>"), "raw channel name in report.html");
  }

  @Test
  void fetchErrorsOfRunsSinceTheWindowStart() throws Exception {
    assertEquals(
        csv("error_code,errors,channels", "ResourceNotFoundException,1,1", "ThrottlingException,2,2", "ALL,3,2"),
        read("fetch_errors_by_code.csv"));
    assertEquals(Map.of("ResourceNotFoundException", 1L, "ThrottlingException", 2L), summary.fetchErrorsByCode());
  }

  @Test
  void summaryHoldsTotalsAndComputedFindings() {
    assertEquals(6, summary.sessions());
    assertEquals(5, summary.channels());
    assertEquals(1, summary.liveSessions());
    assertEquals(8, summary.videoTracks());
    assertEquals(5, summary.audioTracks());
    List<String> f = summary.findings();
    assertTrue(f.contains("ADVANCED_HD has the highest takeover failure rate: 100.0% (2 of 2)."), f.toString());
    assertTrue(f.contains("STANDARD has the lowest bitrate conformance: 25.0% (1 of 4 video tracks)."), f.toString());
    assertTrue(f.contains("1 video track on channel types without configured limits (-ROGUE) was not evaluated."), f.toString());
    assertTrue(f.contains("3 sessions could not be fetched: ThrottlingException 2, ResourceNotFoundException 1."), f.toString());
    ReportSummary reread = ReportSummary.read(out);
    assertEquals(summary.findings(), reread.findings());
    assertEquals(summary.tables().keySet(), reread.tables().keySet());
  }

  @Test
  void emptyWindowGivesAllRowsWithZeros(@TempDir Path empty) throws Exception {
    Path reports = empty.resolve("r");
    ReportSummary s = ReportStage.run(TestSpark.session(), empty.resolve("no-lake").toString(),
        LocalDate.parse("2024-01-01"), LocalDate.parse("2024-01-03"), reports, Settings.defaults());
    assertEquals(0, s.sessions());
    assertEquals(
        csv(
            "channel_type,sessions,sessions_with_takeover,takeover_attempts,takeover_successes,takeover_failures,failure_rate,invalid_priority,media_mismatch,limit_breached,other_failure_code",
            "ALL,0,0,0,0,0,,0,0,0,0"),
        Files.readString(reports.resolve("takeover_failure_rates.csv")));
    assertEquals(
        csv(
            "channel_type,video_tracks,conformant_tracks,over_bitrate,over_resolution,over_framerate,conformance_rate,limit_bitrate_bps,p50_target_bitrate,p95_target_bitrate",
            "ALL,0,0,0,0,0,,,,"),
        Files.readString(reports.resolve("bitrate_conformance.csv")));
    assertEquals(csv("channel_type,media,codec_family,codec,sessions,tracks,share_of_tracks"),
        Files.readString(reports.resolve("codec_distribution.csv")));
    assertEquals(csv("dt,channel_type,sessions,channels", "2024-01-01,ALL,0,0", "2024-01-02,ALL,0,0"),
        Files.readString(reports.resolve("daily_sessions.csv")));
    assertTrue(s.findings().contains("No sessions started in this window."));
  }
}
