package io.ivsanalytics.reports;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;

import io.ivsanalytics.config.Settings;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import io.ivsanalytics.model.report.Alert;
import io.ivsanalytics.model.report.AlertThresholds;
import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportResult;
import io.ivsanalytics.model.report.ReportSummary;
import io.ivsanalytics.model.report.ReportTable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report stage: reads the lake once for the window and the previous window of the same length
 * ({@code [from - (to - from), to)}: each table's slice is read once and cached), computes every
 * report from that slice in Spark (only aggregated rows reach the driver), and returns the report
 * tables with their summary (the caller writes them: CSV reports, report.html and summary.json).
 * The weekly trend also reads the weeks before the previous window (only the few columns it needs,
 * aggregated per day).
 *
 * <p>Fetch errors: {@code fetch_errors.dt} is the date of the run that failed, not a session start.
 * The totals count the rows of the runs that covered the window: by default the runs dated from the
 * window's first day to the day after its last (a weekly run for {@code [from, to)} runs on {@code
 * to}); {@code run} passes its own run date.
 */
public final class ReportStage {
  private static final Logger LOG = LoggerFactory.getLogger(ReportStage.class);

  public static ReportResult run(
      SparkSession spark, String lakeDir, LocalDate from, LocalDate to, Settings settings) {
    return run(spark, lakeDir, from, to, settings, from, to);
  }

  /**
   * @param errorsFrom, errorsTo the run dates (both included) whose fetch_errors are counted
   */
  public static ReportResult run(
      SparkSession spark,
      String lakeDir,
      LocalDate from,
      LocalDate to,
      Settings settings,
      LocalDate errorsFrom,
      LocalDate errorsTo) {
    ReportWindow window = new ReportWindow(from, to);
    BitrateLimits limits = BitrateLimits.load(settings);
    AlertThresholds thresholds = AlertSettings.from(settings);
    spark.sparkContext().setJobGroup("report", "reports " + window.label(), false);
    try {
      return new ReportStage(spark, lakeDir, window, limits, thresholds, errorsFrom, errorsTo)
          .execute();
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  private final LakeReader lake;
  private final ReportWindow window;
  private final ReportWindow previous;
  private final BitrateLimits limits;
  private final AlertThresholds thresholds;
  private final LocalDate errorsFrom;
  private final LocalDate errorsTo;

  private ReportStage(
      SparkSession spark,
      String lakeDir,
      ReportWindow window,
      BitrateLimits limits,
      AlertThresholds thresholds,
      LocalDate errorsFrom,
      LocalDate errorsTo) {
    this.lake = new LakeReader(spark, lakeDir);
    this.window = window;
    this.previous = window.previous();
    this.limits = limits;
    this.thresholds = thresholds;
    this.errorsFrom = errorsFrom;
    this.errorsTo = errorsTo;
  }

  private ReportResult execute() {
    Dataset<Row> sessionSlice = readSessions().persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> trackSlice = readTracks().persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> eventSlice =
        readProblemAndTakeoverEvents().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      step("read and cache sessions", sessionSlice::count);
      step("read and cache tracks", trackSlice::count);
      step("read and cache events", eventSlice::count);
      Dataset<Row> sessions = inWindow(sessionSlice);
      Dataset<Row> tracks = inWindow(trackSlice);
      Dataset<Row> events = inWindow(eventSlice);
      Dataset<Row> prevSessions = inPrevious(sessionSlice);
      Dataset<Row> prevTracks = inPrevious(trackSlice);
      Dataset<Row> prevEvents = inPrevious(eventSlice);

      ReportTable prevTakeover =
          step(
              "takeover (previous)", () -> TakeoverFailureReport.compute(prevSessions, prevEvents));
      ReportTable takeover =
          PreviousWindow.append(
              step("takeover", () -> TakeoverFailureReport.compute(sessions, events)),
              prevTakeover,
              "failure_rate",
              PreviousWindow.TAKEOVER_FAILURES);
      ReportTable prevConformance =
          step(
              "conformance (previous)", () -> BitrateConformanceReport.compute(prevTracks, limits));
      ReportTable conformance =
          PreviousWindow.append(
              step("conformance", () -> BitrateConformanceReport.compute(tracks, limits)),
              prevConformance,
              "conformance_rate",
              PreviousWindow.CONFORMANT_TRACKS);
      ReportTable byChannel =
          step(
              "takeover by channel",
              () -> TakeoverFailuresByChannelReport.compute(sessions, events));
      ReportTable codecs = step("codecs", () -> CodecDistributionReport.compute(tracks));
      ReportTable encoders =
          step("encoders", () -> NonconformantEncodersReport.compute(tracks, limits));
      ReportTable durations = step("durations", () -> SessionDurationReport.compute(sessions));
      ReportTable recording = step("recording", () -> RecordingUsageReport.compute(sessions));
      ReportTable multitrack = step("multitrack", () -> MultitrackAdoptionReport.compute(sessions));
      ReportTable errors = step("error events", () -> ErrorEventsReport.compute(events));
      ReportTable daily = step("daily", () -> DailySessionsReport.compute(sessions, window));
      ReportTable trends =
          step("weekly trends", () -> weeklyTrends(sessionSlice, eventSlice, trackSlice));
      ReportTable fetchErrors =
          step("fetch errors", () -> FetchErrorsReport.compute(readFetchErrors()));
      ReportTable topChannels = step("top channels", () -> TopChannelsReport.compute(sessions));
      long channels =
          step(
              "channels", () -> sessions.agg(countDistinct(col("channel_arn"))).first().getLong(0));

      List<ReportTable> all =
          List.of(
              takeover,
              byChannel,
              codecs,
              conformance,
              encoders,
              durations,
              recording,
              multitrack,
              errors,
              daily,
              trends,
              topChannels,
              fetchErrors);
      long sessionCount = lastRowLong(takeover, "sessions");
      long live = lastRowLong(durations, "live_sessions");
      Map<String, Long> fetchErrorsByCode = new LinkedHashMap<>();
      for (List<Object> r : fetchErrors.rows()) {
        if (r != fetchErrors.rows().get(fetchErrors.rows().size() - 1)) {
          fetchErrorsByCode.put(
              r.get(0) == null ? "(no code)" : (String) r.get(0),
              fetchErrors.longCell(r, "errors"));
        }
      }
      List<String> findings =
          Findings.of(
              takeover,
              codecs,
              conformance,
              daily,
              sessionCount,
              live,
              fetchErrorsByCode,
              thresholds.minSamples());
      List<Alert> alerts =
          Alerts.evaluate(takeover, prevTakeover, conformance, prevConformance, thresholds);

      List<String> files = new ArrayList<>();
      for (ReportTable t : all) {
        files.add(t.fileName());
      }
      files.add(ReportCatalog.HTML);
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
              errorsFrom.equals(errorsTo)
                  ? "fetch_errors of the run of " + errorsFrom
                  : "fetch_errors of the runs of " + errorsFrom + " to " + errorsTo,
              findings,
              files,
              core,
              previous.label(),
              List.of(
                  headline(
                      takeover,
                      "failure_rate",
                      "Takeover failure rate",
                      PreviousWindow.TAKEOVER_FAILURES),
                  headline(
                      conformance,
                      "conformance_rate",
                      "Bitrate conformance",
                      PreviousWindow.CONFORMANT_TRACKS)),
              alerts,
              thresholds);
      LOG.info("report steps (s): {}", timings);
      return new ReportResult(summary, all);
    } finally {
      sessionSlice.unpersist();
      trackSlice.unpersist();
      eventSlice.unpersist();
    }
  }

  /** Seconds per report step, in order, for the log: where a slow report spends its time. */
  private final Map<String, String> timings = new LinkedHashMap<>();

  private <T> T step(String name, java.util.function.Supplier<T> compute) {
    long t0 = System.nanoTime();
    T result = compute.get();
    timings.put(name, String.format(java.util.Locale.ROOT, "%.2f", (System.nanoTime() - t0) / 1e9));
    return result;
  }

  private ReportSummary.Headline headline(
      ReportTable t, String rate, String title, PreviousWindow.Counts counts) {
    List<Object> all = t.rows().get(t.rows().size() - 1);
    long n = counts.n(t, all);
    return new ReportSummary.Headline(
        rate,
        title,
        (Double) t.cell(all, rate),
        counts.k(t, all),
        n,
        (Double) t.cell(all, rate + "_ci_low"),
        (Double) t.cell(all, rate + "_ci_high"),
        (Double) t.cell(all, "prev_" + rate),
        (Double) t.cell(all, rate + "_change_pp"),
        n >= thresholds.minSamples());
  }

  private Dataset<Row> inWindow(Dataset<Row> slice) {
    return slice.where(col(Schemas.DT).geq(window.from().toString()));
  }

  private Dataset<Row> inPrevious(Dataset<Row> slice) {
    return slice.where(col(Schemas.DT).lt(window.from().toString()));
  }

  /**
   * Weekly trend over {@link WeeklyTrendsReport#WEEKS} weeks: the cached slice for the days it
   * covers, and a lean read of the older days (only dt, channel_type and the checked columns).
   */
  private ReportTable weeklyTrends(
      Dataset<Row> sessionSlice, Dataset<Row> eventSlice, Dataset<Row> trackSlice) {
    LocalDate first = WeeklyTrendsReport.firstDay(window);
    String[] sessionCols = {Schemas.DT, "channel_type"};
    String[] eventCols = {Schemas.DT, "channel_type", "name"};
    String[] trackCols = {
      Schemas.DT,
      "channel_type",
      "media",
      "target_bitrate",
      "target_framerate",
      "video_width",
      "video_height"
    };
    Dataset<Row> s = sinceDay(sessionSlice, first).select(cols(sessionCols));
    Dataset<Row> e = sinceDay(eventSlice, first).select(cols(eventCols));
    Dataset<Row> t = sinceDay(trackSlice, first).select(cols(trackCols));
    if (first.isBefore(previous.from())) {
      s = lake.read(Table.SESSIONS, first, previous.from(), sessionCols).unionByName(s);
      e =
          lake.read(Table.EVENTS, first, previous.from(), eventCols)
              .where(
                  col("name")
                      .isin(TakeoverFailureReport.TAKEOVER, TakeoverFailureReport.TAKEOVER_FAILURE))
              .unionByName(e);
      t =
          lake.read(Table.TRACKS, first, previous.from(), trackCols)
              .where(col("media").equalTo("video"))
              .unionByName(t);
    }
    return WeeklyTrendsReport.compute(s, e, t, limits);
  }

  private static Dataset<Row> sinceDay(Dataset<Row> slice, LocalDate first) {
    return slice.where(col(Schemas.DT).geq(first.toString()));
  }

  private static Column[] cols(String... names) {
    Column[] c = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      c[i] = col(names[i]);
    }
    return c;
  }

  private Dataset<Row> readSessions() {
    return lake.read(
            Table.SESSIONS,
            previous.from(),
            window.to(),
            "dt",
            "start_time",
            "channel_arn",
            "stream_id",
            "channel_type",
            "channel_name",
            "channel_tags",
            "duration_seconds",
            "is_live",
            "recording_configuration_arn",
            "multitrack_enabled",
            "multitrack_policy",
            "video_track_count")
        .where(
            col("start_time")
                .geq(java.sql.Timestamp.from(previous.startInstant()))
                .and(col("start_time").lt(java.sql.Timestamp.from(window.endInstant()))));
  }

  private Dataset<Row> readTracks() {
    return lake.read(
        Table.TRACKS,
        previous.from(),
        window.to(),
        "dt",
        "channel_arn",
        "stream_id",
        "channel_type",
        "media",
        "codec",
        "codec_family",
        "encoder",
        "target_bitrate",
        "target_framerate",
        "video_width",
        "video_height");
  }

  private Dataset<Row> readProblemAndTakeoverEvents() {
    return lake.read(
            Table.EVENTS,
            previous.from(),
            window.to(),
            "dt",
            "channel_arn",
            "stream_id",
            "channel_type",
            "name",
            "code")
        .where(
            col("name")
                .isin(TakeoverFailureReport.TAKEOVER, TakeoverFailureReport.TAKEOVER_FAILURE)
                .or(ErrorEventsReport.isProblem()));
  }

  private Dataset<Row> readFetchErrors() {
    return lake.read(
        Table.FETCH_ERRORS, errorsFrom, errorsTo.plusDays(1), "error_code", "channel_arn");
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
