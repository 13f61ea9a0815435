package io.ivsanalytics.reports;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;

import io.ivsanalytics.cli.Settings;
import io.ivsanalytics.model.Schemas.Table;
import io.ivsanalytics.output.CsvReportWriter;
import io.ivsanalytics.output.HtmlReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report stage: reads the window's partitions of the lake, aggregates in Spark (only
 * aggregated rows reach the driver) and writes the CSV reports, report.html and summary.json
 * into the report folder.
 *
 * <p>Fetch errors: {@code fetch_errors.dt} is the date of the run that failed, not a session
 * start, so the totals count the fetch_errors rows of run dates on or after {@code
 * fetchErrorsSince} (by default the window start: every run that could have fetched the window).
 */
public final class ReportStage {
  private static final Logger LOG = LoggerFactory.getLogger(ReportStage.class);
  public static final String HTML_FILE = "report.html";

  public static ReportSummary run(
      SparkSession spark, String lakeDir, LocalDate from, LocalDate to, Path outDir, Settings settings) {
    return run(spark, lakeDir, from, to, outDir, settings, from);
  }

  public static ReportSummary run(
      SparkSession spark,
      String lakeDir,
      LocalDate from,
      LocalDate to,
      Path outDir,
      Settings settings,
      LocalDate fetchErrorsSince) {
    ReportWindow window = new ReportWindow(from, to);
    BitrateLimits limits = BitrateLimits.load(settings);
    spark.sparkContext().setJobGroup("report", "reports " + window.label(), false);
    try {
      return new ReportStage(spark, lakeDir, window, limits, fetchErrorsSince).execute(outDir);
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  private final LakeReader lake;
  private final ReportWindow window;
  private final BitrateLimits limits;
  private final LocalDate fetchErrorsSince;

  private ReportStage(SparkSession spark, String lakeDir, ReportWindow window, BitrateLimits limits, LocalDate fetchErrorsSince) {
    this.lake = new LakeReader(spark, lakeDir);
    this.window = window;
    this.limits = limits;
    this.fetchErrorsSince = fetchErrorsSince;
  }

  private ReportSummary execute(Path outDir) {
    Dataset<Row> sessions = readSessions().persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> tracks = readTracks().persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> events = readProblemAndTakeoverEvents().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      ReportTable takeover = TakeoverFailureReport.compute(sessions, events);
      ReportTable codecs = CodecDistributionReport.compute(tracks);
      ReportTable conformance = BitrateConformanceReport.compute(tracks, limits);
      ReportTable durations = SessionDurationReport.compute(sessions);
      ReportTable recording = RecordingUsageReport.compute(sessions);
      ReportTable multitrack = MultitrackAdoptionReport.compute(sessions);
      ReportTable errors = ErrorEventsReport.compute(events);
      ReportTable daily = DailySessionsReport.compute(sessions, window);
      ReportTable fetchErrors = FetchErrorsReport.compute(readFetchErrors());
      ReportTable topChannels = TopChannelsReport.compute(sessions);
      long channels = sessions.agg(countDistinct(col("channel_arn"))).first().getLong(0);

      List<ReportTable> all =
          List.of(takeover, codecs, conformance, durations, recording, multitrack, errors, daily, topChannels, fetchErrors);
      long sessionCount = lastRowLong(takeover, "sessions");
      long live = lastRowLong(durations, "live_sessions");
      Map<String, Long> fetchErrorsByCode = new LinkedHashMap<>();
      for (List<Object> r : fetchErrors.rows()) {
        if (r != fetchErrors.rows().get(fetchErrors.rows().size() - 1)) {
          fetchErrorsByCode.put(r.get(0) == null ? "(no code)" : (String) r.get(0), fetchErrors.longCell(r, "errors"));
        }
      }
      List<String> findings =
          Findings.of(takeover, codecs, conformance, daily, sessionCount, live, fetchErrorsByCode);

      Files.createDirectories(outDir);
      List<String> files = new ArrayList<>();
      for (ReportTable t : all) {
        CsvReportWriter.write(t, outDir);
        files.add(t.fileName());
      }
      files.add(HTML_FILE);
      files.add(ReportSummary.FILE);
      Map<String, ReportTable> core = new LinkedHashMap<>();
      core.put(takeover.fileName(), takeover);
      core.put(codecs.fileName(), codecs);
      core.put(conformance.fileName(), conformance);
      ReportSummary summary =
          new ReportSummary(
              window.from().toString(),
              window.to().toString(),
              window.label(),
              Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
              sessionCount,
              channels,
              live,
              sumTracks(codecs, "video"),
              sumTracks(codecs, "audio"),
              fetchErrorsByCode,
              "fetch_errors of runs on or after " + fetchErrorsSince,
              findings,
              files,
              core);
      Map<String, ReportTable> byFile = new LinkedHashMap<>();
      all.forEach(t -> byFile.put(t.fileName(), t));
      Files.writeString(outDir.resolve(HTML_FILE), HtmlReport.page(summary, byFile), StandardCharsets.UTF_8);
      summary.write(outDir);
      LOG.info("reports for {} written to {}: {} sessions, {} channels, {} fetch errors",
          window.label(), outDir, sessionCount, channels, summary.fetchErrors());
      return summary;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write reports to " + outDir, e);
    } finally {
      sessions.unpersist();
      tracks.unpersist();
      events.unpersist();
    }
  }

  private Dataset<Row> readSessions() {
    return lake.read(
            Table.SESSIONS, window.from(), window.to(),
            "dt", "start_time", "channel_arn", "stream_id", "channel_type", "channel_name", "channel_tags", "duration_seconds", "is_live",
            "recording_configuration_arn", "multitrack_enabled", "multitrack_policy", "video_track_count")
        .where(col("start_time").geq(java.sql.Timestamp.from(window.startInstant()))
            .and(col("start_time").lt(java.sql.Timestamp.from(window.endInstant()))));
  }

  private Dataset<Row> readTracks() {
    return lake.read(
        Table.TRACKS, window.from(), window.to(),
        "channel_arn", "stream_id", "channel_type", "media", "codec", "codec_family",
        "target_bitrate", "target_framerate", "video_width", "video_height");
  }

  private Dataset<Row> readProblemAndTakeoverEvents() {
    return lake.read(Table.EVENTS, window.from(), window.to(), "channel_arn", "stream_id", "channel_type", "name", "code")
        .where(col("name").isin(TakeoverFailureReport.TAKEOVER, TakeoverFailureReport.TAKEOVER_FAILURE)
            .or(ErrorEventsReport.isProblem()));
  }

  private Dataset<Row> readFetchErrors() {
    return lake.readSince(Table.FETCH_ERRORS, fetchErrorsSince, "error_code", "channel_arn");
  }

  private static long lastRowLong(ReportTable t, String column) {
    return t.longCell(t.rows().get(t.rows().size() - 1), column);
  }

  private static long sumTracks(ReportTable codecs, String media) {
    long n = 0;
    for (List<Object> r : codecs.rows()) {
      if (media.equals(r.get(1))) {
        n += codecs.longCell(r, "tracks");
      }
    }
    return n;
  }
}
