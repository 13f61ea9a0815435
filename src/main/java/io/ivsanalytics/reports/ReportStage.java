package io.ivsanalytics.reports;

import io.ivsanalytics.config.Settings;
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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report stage: one Spark job per table. Each job reads the table's slice once, the window and
 * the previous window of the same length ({@code [from - (to - from), to)}) with the columns the
 * reports use, plus the weekly trend's older days with only the few columns the trend needs. Each
 * task folds its rows into exact partial aggregates ({@link SessionFold}, {@link TrackFold}, {@link
 * EventFold}: counters, value histograms for the percentiles, session and name sets for the
 * distinct counts) and the driver merges them; every report table is derived from the merged
 * partials. The stage returns the tables with their summary (the caller writes them: CSV reports,
 * report.html and summary.json).
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
    Folds.Days days = Folds.Days.of(window, WeeklyTrendsReport.firstDay(window));
    BitrateLimits trackLimits = limits;
    SessionFold s =
        fold(
            Table.SESSIONS,
            SessionFold.COLUMNS,
            SessionFold.TREND_COLUMNS,
            () -> new SessionFold(days));
    TrackFold t =
        fold(
            Table.TRACKS,
            TrackFold.COLUMNS,
            TrackFold.TREND_COLUMNS,
            () -> new TrackFold(days, trackLimits));
    EventFold e =
        fold(Table.EVENTS, EventFold.COLUMNS, EventFold.TREND_COLUMNS, () -> new EventFold(days));
    FetchErrorFold f =
        step(
            "fetch errors",
            () -> Folds.run(readFetchErrors(), FetchErrorFold.COLUMNS, FetchErrorFold::new));

    Map<String, Long> prevSessions = s.previous;
    Map<String, Long> sessions = new LinkedHashMap<>();
    s.current.forEach((type, v) -> sessions.put(type, v.sessions));
    ReportTable prevTakeover = TakeoverFailureReport.compute(prevSessions, e.takeovers.get(1));
    ReportTable takeover =
        PreviousWindow.append(
            TakeoverFailureReport.compute(sessions, e.takeovers.get(0)),
            prevTakeover,
            "failure_rate",
            PreviousWindow.TAKEOVER_FAILURES);
    ReportTable prevConformance = BitrateConformanceReport.compute(t.conformance.get(1), limits);
    ReportTable conformance =
        PreviousWindow.append(
            BitrateConformanceReport.compute(t.conformance.get(0), limits),
            prevConformance,
            "conformance_rate",
            PreviousWindow.CONFORMANT_TRACKS);
    ReportTable byChannel = TakeoverFailuresByChannelReport.compute(e.channels, s.channels);
    ReportTable codecs = CodecDistributionReport.compute(t.codecs);
    ReportTable encoders = NonconformantEncodersReport.compute(t.encoders);
    Map<String, SessionFold.TypeSessions> byType = s.currentByTypeThenAll();
    ReportTable durations = SessionDurationReport.compute(byType);
    ReportTable recording = RecordingUsageReport.compute(byType);
    ReportTable multitrack = MultitrackAdoptionReport.compute(byType);
    ReportTable errors = ErrorEventsReport.compute(e.problems);
    ReportTable daily = DailySessionsReport.compute(s.daily, window);
    ReportTable trends = WeeklyTrendsReport.compute(s.trend, e.trend, t.trend);
    ReportTable fetchErrors = FetchErrorsReport.compute(f);
    ReportTable topChannels = TopChannelsReport.compute(s.channels);
    long channels = s.channels.keySet().stream().filter(java.util.Objects::nonNull).count();

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
            r.get(0) == null ? "(no code)" : (String) r.get(0), fetchErrors.longCell(r, "errors"));
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
    for (ReportTable table : all) {
      files.add(table.fileName());
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

  /** One pass over a table's {@link #scans}, timed as the table's report step. */
  private <F extends Folds.Fold<F>> F fold(
      Table table, String[] columns, String[] trendColumns, Folds.Factory<F> factory) {
    return step(
        table.dirName(), () -> Folds.run(scans(table, columns, trendColumns), columns, factory));
  }

  /**
   * The scans of a table for a report: both windows with {@code columns}, and when the weekly trend
   * starts before the previous window, the days in between with only {@code trendColumns}. Rows are
   * not filtered here: the folds skip the rows a report does not count (sessions starting outside
   * both windows, events other than takeovers and problems, tracks other than video on the trend's
   * older days), so each scan stays a plain column read.
   */
  private List<Dataset<Row>> scans(Table table, String[] columns, String[] trendColumns) {
    List<Dataset<Row>> scans = new ArrayList<>();
    LocalDate first = WeeklyTrendsReport.firstDay(window);
    if (first.isBefore(previous.from())) {
      scans.add(lake.read(table, first, previous.from(), trendColumns));
    }
    scans.add(lake.read(table, previous.from(), window.to(), columns));
    return scans;
  }

  private List<Dataset<Row>> readFetchErrors() {
    return List.of(
        lake.read(Table.FETCH_ERRORS, errorsFrom, errorsTo.plusDays(1), FetchErrorFold.COLUMNS));
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
