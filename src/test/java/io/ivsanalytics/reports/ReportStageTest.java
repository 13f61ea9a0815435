package io.ivsanalytics.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivsanalytics.TestSpark;
import io.ivsanalytics.config.Settings;
import io.ivsanalytics.model.report.Alert;
import io.ivsanalytics.model.report.ReportSummary;
import io.ivsanalytics.output.ReportFolder;
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
    summary =
        ReportFolder.write(
            ReportStage.run(
                spark,
                lake.toString(),
                LocalDate.parse("2024-05-06"),
                LocalDate.parse("2024-05-13"),
                Settings.defaults()),
            out);
  }

  @org.junit.jupiter.api.AfterAll
  static void keepPreview() throws Exception {
    Path preview = Path.of("target", "report-preview");
    Files.createDirectories(preview);
    Files.copy(
        out.resolve("report.html"),
        preview.resolve("fixture-report.html"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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
            "channel_type,sessions,sessions_with_takeover,takeover_attempts,takeover_successes,takeover_failures,failure_rate,invalid_priority,media_mismatch,limit_breached,other_failure_code,"
                + "failure_rate_ci_low,failure_rate_ci_high,prev_failure_rate,failure_rate_change_pp",
            "'-ROGUE,1,0,0,0,0,,0,0,0,0,,,,",
            "ADVANCED_HD,1,1,2,0,2,1.0000,0,0,1,1,0.3424,1.0000,,",
            "BASIC,2,0,0,0,0,,0,0,0,0,,,1.0000,",
            "STANDARD,2,2,4,1,3,0.7500,1,1,0,1,0.3006,0.9544,,",
            "ALL,6,3,6,1,5,0.8333,1,1,1,2,0.4365,0.9699,1.0000,-16.67"),
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
            "channel_type,video_tracks,conformant_tracks,over_bitrate,over_resolution,over_framerate,conformance_rate,limit_bitrate_bps,p50_target_bitrate,p95_target_bitrate,"
                + "conformance_rate_ci_low,conformance_rate_ci_high,prev_conformance_rate,conformance_rate_change_pp",
            "'-ROGUE,1,,,,,,,-1,-1,,,,",
            "ADVANCED_HD,1,1,0,0,0,1.0000,8500000,8500000,8500000,0.2065,1.0000,,",
            "BASIC,2,1,1,0,0,0.5000,3500000,2000000,3000000,0.0945,0.9055,0.0000,50.00",
            "STANDARD,4,1,1,1,1,0.2500,8500000,6000000,8789062,0.0456,0.6994,,",
            "ALL,8,3,2,1,1,0.4286,,6000000,8789062,0.1582,0.7495,0.0000,42.86"),
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
            arn
                + "bbb,\"Tag \"\"quoted\"\" & 'single'\",STANDARD,\"env=prod; note=say \"\"hi\"\" &"
                + " 'bye'\",2,1,0.5000",
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
        csv(
            "error_code,errors,channels",
            "ResourceNotFoundException,1,1",
            "ThrottlingException,2,2",
            "ALL,3,2"),
        read("fetch_errors_by_code.csv"));
    assertEquals(
        Map.of("ResourceNotFoundException", 1L, "ThrottlingException", 2L),
        summary.fetchErrorsByCode());
  }

  @Test
  void summaryHoldsTotalsAndComputedFindings() {
    assertEquals(6, summary.sessions());
    assertEquals(5, summary.channels());
    assertEquals(1, summary.liveSessions());
    assertEquals(8, summary.videoTracks());
    assertEquals(5, summary.audioTracks());
    // Default alert.min.samples = 20: nothing here is ranked or stated without its interval.
    List<String> f = summary.findings();
    assertEquals(
        List.of(
            "Only 6 stream takeover attempts (fewer than 20): 5 failed (5 of 6, 95% CI"
                + " 44\u201397%); too few to rank channel types or alert on.",
            "Not ranked for takeover failure rate, fewer than 20 takeover attempts: ADVANCED_HD,"
                + " STANDARD.",
            "Most common takeover failure: another or no code (2 of 5 failures).",
            "Only 7 evaluated video tracks (fewer than 20): 3 conform (3 of 7, 95% CI 16\u201375%);"
                + " 2 over bitrate, 1 over resolution, 1 over frame rate.",
            "Not ranked for bitrate conformance, fewer than 20 evaluated video tracks: ADVANCED_HD,"
                + " BASIC, STANDARD.",
            "1 video track on channel types without configured limits (-ROGUE) was not evaluated.",
            "H.264 carries 75.0% of video tracks (6 of 8, 95% CI 41\u201393%).",
            "Busiest day: 2024-05-07 with 2 sessions on 1 channel.",
            "1 session was still live when fetched (no duration yet).",
            "3 ids could not be fetched: ThrottlingException 2, ResourceNotFoundException 1."),
        f);
    assertTrue(summary.alerts().isEmpty(), summary.alerts().toString());
    assertEquals("2024-04-29 \u2013 2024-05-05 (UTC)", summary.previousWindowLabel());
    assertEquals("2024-05-06 \u2013 2024-05-12 (UTC)", summary.windowLabel());
    ReportSummary.Headline failures = summary.headlines().get(0);
    assertEquals(
        new ReportSummary.Headline(
            "failure_rate",
            "Takeover failure rate",
            5.0 / 6,
            5,
            6,
            failures.ciLow(),
            failures.ciHigh(),
            1.0,
            (5.0 / 6 - 1) * 100,
            false),
        failures);
    assertEquals(0.4365, failures.ciLow(), 5e-5);
    assertEquals(0.9699, failures.ciHigh(), 5e-5);
    ReportSummary reread = ReportSummary.read(out);
    assertEquals(summary.findings(), reread.findings());
    assertEquals(summary.tables().keySet(), reread.tables().keySet());
  }

  @Test
  void emptyWindowGivesAllRowsWithZeros(@TempDir Path empty) throws Exception {
    Path reports = empty.resolve("r");
    ReportSummary s =
        ReportFolder.write(
            ReportStage.run(
                TestSpark.session(),
                empty.resolve("no-lake").toString(),
                LocalDate.parse("2024-01-01"),
                LocalDate.parse("2024-01-03"),
                Settings.defaults()),
            reports);
    assertEquals(0, s.sessions());
    assertEquals(
        csv(
            "channel_type,sessions,sessions_with_takeover,takeover_attempts,takeover_successes,takeover_failures,failure_rate,invalid_priority,media_mismatch,limit_breached,other_failure_code,"
                + "failure_rate_ci_low,failure_rate_ci_high,prev_failure_rate,failure_rate_change_pp",
            "ALL,0,0,0,0,0,,0,0,0,0,,,,"),
        Files.readString(reports.resolve("takeover_failure_rates.csv")));
    assertEquals(
        csv(
            "channel_type,video_tracks,conformant_tracks,over_bitrate,over_resolution,over_framerate,conformance_rate,limit_bitrate_bps,p50_target_bitrate,p95_target_bitrate,"
                + "conformance_rate_ci_low,conformance_rate_ci_high,prev_conformance_rate,conformance_rate_change_pp",
            "ALL,0,0,0,0,0,,,,,,,,"),
        Files.readString(reports.resolve("bitrate_conformance.csv")));
    assertEquals(
        csv("channel_type,media,codec_family,codec,sessions,tracks,share_of_tracks"),
        Files.readString(reports.resolve("codec_distribution.csv")));
    assertEquals(
        csv("dt,channel_type,sessions,channels", "2024-01-01,ALL,0,0", "2024-01-02,ALL,0,0"),
        Files.readString(reports.resolve("daily_sessions.csv")));
    assertTrue(s.findings().contains("No sessions started in this window."));
    assertEquals(
        csv(String.join(",", NonconformantEncodersReport.COLUMNS)),
        Files.readString(reports.resolve("nonconformant_encoders.csv")));
    assertEquals(
        csv(String.join(",", TakeoverFailuresByChannelReport.COLUMNS)),
        Files.readString(reports.resolve("takeover_failures_by_channel.csv")));
    assertEquals(
        csv(String.join(",", WeeklyTrendsReport.COLUMNS)),
        Files.readString(reports.resolve("weekly_trends.csv")));
  }

  @Test
  void takeoverFailuresByChannelListsChannelsWithFailures() throws Exception {
    // bbb: st-2 one success and a MediaMismatch failure, st-3 InvalidPriority and a failure without
    // a code: 3 of 4, Wilson 0.3006..0.9544; the three codes tie at 1, the alphabetically first
    // wins. ccc: 2 of 2 (0.3424..1), '=HYPERLINK("x")' sorts before StreamTakeover... and is
    // neutralised. aaa's failure on 2024-05-05 belongs to the previous window.
    String arn = ReportFixtures.ACCOUNT;
    assertEquals(
        csv(
            "channel_arn,channel_name,channel_type,attempts,failures,failure_rate,failure_rate_ci_low,failure_rate_ci_high,top_failure_code",
            arn
                + "bbb,\"Tag \"\"quoted\"\" &"
                + " 'single'\",STANDARD,4,3,0.7500,0.3006,0.9544,StreamTakeoverInvalidPriority",
            arn + "ccc,Studio,ADVANCED_HD,2,2,1.0000,0.3424,1.0000,\"'=HYPERLINK(\"\"x\"\")\""),
        read("takeover_failures_by_channel.csv"));
  }

  @Test
  void nonconformantEncodersMostNonconformantFirst() throws Exception {
    // Evaluated video tracks only (-ROGUE has no limits). OBS 30.1 avc1.640028 on STANDARD: the
    // 8,789,062 bps track is over bitrate, the portrait one conforms. Conforming groups (Larix
    // avc1.64001F on BASIC, Wirecast on ADVANCED_HD) are not listed.
    assertEquals(
        csv(
            "channel_type,encoder,codec,video_tracks,nonconformant_tracks,over_bitrate,over_resolution,over_framerate,share_nonconformant",
            "STANDARD,OBS 30.1,avc1.640028,2,1,1,0,0,0.5000",
            "BASIC,OBS 30.1,avc1.4D401E,1,1,1,0,0,1.0000",
            "STANDARD,Larix,av01.0.08M.08,1,1,0,0,1,1.0000",
            "STANDARD,OBS 30.1,hvc1.1.6.L120.90,1,1,0,1,0,1.0000"),
        read("nonconformant_encoders.csv"));
  }

  @Test
  void weeklyTrendsCoverTwelveIsoWeeksUpToTheWindowEnd() throws Exception {
    // Twelve ISO weeks from Monday 2024-02-19 to Sunday 2024-05-12: st-10 (2024-02-12) is before
    // them, st-9 (W15) is read from the lake outside the cached window, st-6 (W18) is the previous
    // window, W19 is the window itself (the same counts as the window's reports).
    assertEquals(
        csv(
            "week,week_start,channel_type,sessions,takeover_attempts,takeover_failures,failure_rate,evaluated_video_tracks,conformant_tracks,conformance_rate",
            "2024-W15,2024-04-08,STANDARD,1,1,0,0.0000,1,1,1.0000",
            "2024-W15,2024-04-08,ALL,1,1,0,0.0000,1,1,1.0000",
            "2024-W18,2024-04-29,BASIC,1,1,1,1.0000,1,0,0.0000",
            "2024-W18,2024-04-29,ALL,1,1,1,1.0000,1,0,0.0000",
            "2024-W19,2024-05-06,'-ROGUE,1,0,0,,0,0,",
            "2024-W19,2024-05-06,ADVANCED_HD,1,2,2,1.0000,1,1,1.0000",
            "2024-W19,2024-05-06,BASIC,2,0,0,,2,1,0.5000",
            "2024-W19,2024-05-06,STANDARD,2,4,3,0.7500,4,1,0.2500",
            "2024-W19,2024-05-06,ALL,6,6,5,0.8333,7,3,0.4286"),
        read("weekly_trends.csv"));
  }

  @Test
  void alertsFireOnlyWhereTheDenominatorReachesMinSamples(@TempDir Path tmp) throws Exception {
    Settings settings =
        Settings.defaults()
            .withOptions(
                Map.of(
                    "alert.takeover.failure.rate.max", "0.5",
                    "alert.conformance.rate.min", "0.5",
                    "alert.change.pp.max", "10",
                    "alert.min.samples", "4"));
    Path reports = tmp.resolve("r");
    ReportSummary s =
        ReportFolder.write(
            ReportStage.run(
                TestSpark.session(),
                dir.resolve("lake").toString(),
                LocalDate.parse("2024-05-06"),
                LocalDate.parse("2024-05-13"),
                settings),
            reports);
    // Held back: ADVANCED_HD's 2 of 2 failures (2 < 4 attempts) and 1 of 1 conformant; every
    // change, because the previous window has 1 attempt and 1 track (ALL -16.67 pp, +42.86 pp;
    // BASIC +50.00 pp over 2 tracks).
    assertEquals(
        List.of(
            new Alert(
                "failure_rate",
                "STANDARD",
                0.75,
                null,
                0.5,
                4,
                "STANDARD: takeover failure rate 75.0% (3 of 4 takeover attempts, 95% CI"
                    + " 30\u201395%) is above the 50.0% threshold; previous window no data."),
            new Alert(
                "failure_rate",
                "ALL",
                5.0 / 6,
                1.0,
                0.5,
                6,
                "ALL: takeover failure rate 83.3% (5 of 6 takeover attempts, 95% CI 44\u201397%) is"
                    + " above the 50.0% threshold; previous window 100.0%."),
            new Alert(
                "conformance_rate",
                "STANDARD",
                0.25,
                null,
                0.5,
                4,
                "STANDARD: bitrate conformance 25.0% (1 of 4 evaluated video tracks, 95% CI"
                    + " 5\u201370%) is below the 50.0% threshold; previous window no data."),
            new Alert(
                "conformance_rate",
                "ALL",
                3.0 / 7,
                0.0,
                0.5,
                7,
                "ALL: bitrate conformance 42.9% (3 of 7 evaluated video tracks, 95% CI 16\u201375%)"
                    + " is below the 50.0% threshold; previous window 0.0%.")),
        s.alerts());

    JsonNode json = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
    JsonNode first = json.get("alerts").get(0);
    List<String> keys = new java.util.ArrayList<>();
    first.fieldNames().forEachRemaining(keys::add);
    assertEquals(
        List.of("metric", "channel_type", "value", "prev", "threshold", "samples", "message"),
        keys);
    assertEquals(4, json.get("alerts").size());
    assertEquals(4, ReportSummary.read(reports).alerts().size());

    String html = Files.readString(reports.resolve("report.html"), StandardCharsets.UTF_8);
    int alerts = html.indexOf("class=\"alerts\"");
    assertTrue(
        alerts > 0
            && alerts < html.indexOf("class=\"cards\"")
            && alerts < html.indexOf("class=\"findings\""),
        "alerts lead the page");
    assertTrue(
        html.contains(
            "STANDARD: takeover failure rate 75.0% (3 of 4 takeover attempts, 95% CI"
                + " 30\u201395%)"));
    String body = io.ivsanalytics.output.HtmlReport.emailBody(s);
    assertTrue(
        body.indexOf("4 alerts") > 0
            && body.indexOf("4 alerts") < body.indexOf("IVS weekly report"),
        "alerts lead the email");
    assertEquals(
        "[ALERT] IVS weekly report: 2024-05-06 \u2013 2024-05-12 (UTC)",
        io.ivsanalytics.output.WeeklyEmail.subject(Settings.defaults(), s));
  }

  @Test
  void withOneSampleEnoughChangesFireAndTypesAreRanked(@TempDir Path tmp) {
    Settings settings =
        Settings.defaults()
            .withOptions(Map.of("alert.change.pp.max", "10", "alert.min.samples", "1"));
    ReportSummary s =
        ReportFolder.write(
            ReportStage.run(
                TestSpark.session(),
                dir.resolve("lake").toString(),
                LocalDate.parse("2024-05-06"),
                LocalDate.parse("2024-05-13"),
                settings),
            tmp.resolve("r"));
    assertEquals(
        List.of(
            "failure_rate_change_pp ALL -16.67 pp prev 1.0",
            "conformance_rate_change_pp BASIC 50.00 pp prev 0.0",
            "conformance_rate_change_pp ALL 42.86 pp prev 0.0"),
        s.alerts().stream()
            .map(
                a ->
                    String.format(
                        java.util.Locale.ROOT,
                        "%s %s %.2f pp prev %s",
                        a.metric(),
                        a.channelType(),
                        a.value(),
                        a.prev()))
            .toList());
    assertEquals(
        "ALL: takeover failure rate fell 16.67 pp (100.0% \u2192 83.3% over 1 and 6 takeover"
            + " attempts), more than the 10 pp threshold.",
        s.alerts().get(0).message());
    assertTrue(
        s.findings()
            .contains(
                "ADVANCED_HD has the highest takeover failure rate: 100.0% (2 of 2 takeover"
                    + " attempts, 95% CI 34\u2013100%)."),
        s.findings().toString());
    assertTrue(
        s.findings()
            .contains(
                "STANDARD has the lowest bitrate conformance: 25.0% (1 of 4 evaluated video tracks,"
                    + " 95% CI 5\u201370%)."),
        s.findings().toString());
    assertTrue(
        s.findings()
            .contains(
                "Takeover failure rate: 83.3% (5 of 6, 95% CI 44\u201397%), down 16.67 pp from"
                    + " 100.0% in the previous window."),
        s.findings().toString());
  }
}
