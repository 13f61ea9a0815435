package io.ivsanalytics.reports;

import io.ivsanalytics.model.report.ReportTable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The sessions of a report folded in one pass: per channel type of the window, the counters and
 * histograms of the duration, recording and multitrack reports; sessions and channels per day; each
 * channel's sessions and latest name; sessions per type of the previous window; sessions per day
 * and type for the weekly trend.
 */
final class SessionFold implements Folds.Fold<SessionFold> {
  private static final long serialVersionUID = 1L;

  /** The columns read, in this order. */
  static final String[] COLUMNS = {
    "dt",
    "start_time",
    "channel_arn",
    "channel_type",
    "channel_name",
    "channel_tags",
    "duration_seconds",
    "is_live",
    "recording_configuration_arn",
    "multitrack_enabled",
    "multitrack_policy",
    "video_track_count"
  };

  private static final int DT = 0;
  private static final int START = 1;
  private static final int ARN = 2;
  private static final int TYPE = 3;
  private static final int NAME = 4;
  private static final int TAGS = 5;
  private static final int DURATION = 6;
  private static final int LIVE = 7;
  private static final int RECORDING = 8;
  private static final int MULTITRACK = 9;
  private static final int POLICY = 10;
  private static final int VIDEO_TRACKS = 11;

  /** The columns the trend's older days need (the others read as null there). */
  static final String[] TREND_COLUMNS = {"dt", "channel_type"};

  private final Folds.Days days;

  /** Per channel type, the window's sessions. */
  final Map<String, TypeSessions> current = new HashMap<>();

  /** Sessions per channel type in the previous window. */
  final Map<String, Long> previous = new HashMap<>();

  /** Per day of the window, then channel type: sessions and their channels. */
  final Map<String, Map<String, Tally.OfNames>> daily = new HashMap<>();

  /** Per channel of the window. */
  final Map<String, ChannelSessions> channels = new HashMap<>();

  /** Sessions per (dt, channel_type) over the trend's days. */
  final Map<List<String>, long[]> trend = new HashMap<>();

  SessionFold(Folds.Days days) {
    this.days = days;
  }

  @Override
  public void add(Cells row) {
    String dt = row.string(DT);
    if (!days.before(dt) && !days.started(row.epochMillis(START))) {
      return;
    }
    String type = row.string(TYPE);
    if (days.trend(dt)) {
      trend.computeIfAbsent(Arrays.asList(dt, type), k -> new long[1])[0]++;
    }
    if (days.previous(dt)) {
      previous.merge(type, 1L, Long::sum);
      return;
    }
    if (!days.current(dt)) {
      return;
    }
    String arn = row.string(ARN);
    Long duration = row.longValue(DURATION);
    current.computeIfAbsent(type, k -> new TypeSessions()).add(row, duration);
    daily
        .computeIfAbsent(dt, k -> new HashMap<>())
        .computeIfAbsent(type, k -> new Tally.OfNames())
        .add(arn);
    channels.computeIfAbsent(arn, k -> new ChannelSessions()).add(row, duration);
  }

  @Override
  public void merge(SessionFold o) {
    o.current.forEach((k, v) -> current.merge(k, v, TypeSessions::merge));
    o.previous.forEach((k, v) -> previous.merge(k, v, Long::sum));
    o.daily.forEach(
        (dt, types) -> {
          Map<String, Tally.OfNames> mine = daily.computeIfAbsent(dt, k -> new HashMap<>());
          types.forEach((k, v) -> mine.merge(k, v, Tally.OfNames::merge));
        });
    o.channels.forEach((k, v) -> channels.merge(k, v, ChannelSessions::merge));
    o.trend.forEach((k, v) -> trend.merge(k, v, Agg::addInto));
  }

  /**
   * The window's sessions per channel type in report order, then all types together as {@link
   * Agg#ALL}: the rows of the duration, recording and multitrack reports.
   */
  java.util.LinkedHashMap<String, TypeSessions> currentByTypeThenAll() {
    TypeSessions all = new TypeSessions();
    current.values().forEach(all::merge);
    return Agg.withAll(current, all);
  }

  /** The window's sessions of one channel type. */
  /**
   * A report of one row per channel type and then ALL, in the order of {@code byTypeThenAll}: the
   * type, then the cells {@code cells} gives for its sessions.
   */
  static ReportTable perType(
      String file,
      List<String> columns,
      Map<String, TypeSessions> byTypeThenAll,
      Function<TypeSessions, List<Object>> cells) {
    List<List<Object>> rows = new ArrayList<>(byTypeThenAll.size());
    byTypeThenAll.forEach(
        (type, g) -> {
          List<Object> row = new ArrayList<>(columns.size());
          row.add(type);
          row.addAll(cells.apply(g));
          rows.add(row);
        });
    return new ReportTable(file, columns, rows);
  }

  static final class TypeSessions implements Serializable {
    private static final long serialVersionUID = 1L;
    long sessions;
    long live;
    final LongCounts durations = new LongCounts();
    long recorded;
    long recordedSeconds;
    final Set<String> recordingConfigurations = new HashSet<>();
    long multitrackEnabled;
    long multitrackRequired;
    long multitrackSessions;
    Long maxVideoTracks;

    void add(Cells row, Long duration) {
      sessions++;
      durations.add(duration);
      if (duration == null || row.isTrue(LIVE)) {
        live++;
      }
      String recording = row.string(RECORDING);
      if (recording != null && !recording.isEmpty()) {
        recorded++;
        recordingConfigurations.add(recording);
        recordedSeconds += duration == null ? 0 : duration;
      }
      if (row.isTrue(MULTITRACK)) {
        multitrackEnabled++;
        if ("REQUIRED".equals(row.string(POLICY))) {
          multitrackRequired++;
        }
      }
      Integer videoTracks = row.intValue(VIDEO_TRACKS);
      if (videoTracks != null) {
        if (videoTracks > 1) {
          multitrackSessions++;
        }
        maxVideoTracks =
            maxVideoTracks == null ? videoTracks : Math.max(maxVideoTracks, videoTracks);
      }
    }

    TypeSessions merge(TypeSessions o) {
      sessions += o.sessions;
      live += o.live;
      durations.addAll(o.durations);
      recorded += o.recorded;
      recordedSeconds += o.recordedSeconds;
      recordingConfigurations.addAll(o.recordingConfigurations);
      multitrackEnabled += o.multitrackEnabled;
      multitrackRequired += o.multitrackRequired;
      multitrackSessions += o.multitrackSessions;
      if (o.maxVideoTracks != null) {
        maxVideoTracks =
            maxVideoTracks == null ? o.maxVideoTracks : Math.max(maxVideoTracks, o.maxVideoTracks);
      }
      return this;
    }
  }

  /**
   * One channel's sessions in the window, and its name, type and tags as of its latest session (by
   * start_time; a session without one does not count as latest).
   */
  static final class ChannelSessions implements Serializable {
    private static final long serialVersionUID = 1L;
    long sessions;
    long live;
    long seconds;
    Long latestStart;
    String name;
    String type;
    Map<String, String> tags;

    void add(Cells row, Long duration) {
      sessions++;
      if (duration == null) {
        live++;
      } else {
        seconds += duration;
      }
      Long start = row.epochMillis(START);
      if (start != null && (latestStart == null || start > latestStart)) {
        latestStart = start;
        name = row.string(NAME);
        type = row.string(TYPE);
        tags = row.stringMap(TAGS);
      }
    }

    ChannelSessions merge(ChannelSessions o) {
      sessions += o.sessions;
      live += o.live;
      seconds += o.seconds;
      if (o.latestStart != null && (latestStart == null || o.latestStart > latestStart)) {
        latestStart = o.latestStart;
        name = o.name;
        type = o.type;
        tags = o.tags;
      }
      return this;
    }
  }
}
