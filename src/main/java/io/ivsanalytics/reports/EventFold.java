package io.ivsanalytics.reports;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The takeover and problem events of a report folded in one pass: takeover counts per channel type
 * of the window and of the previous window, takeovers per channel, problem events per (type, name,
 * code), and takeovers per day and type for the weekly trend.
 */
final class EventFold implements Folds.Fold<EventFold> {
  private static final long serialVersionUID = 1L;

  /** The columns read, in this order. */
  static final String[] COLUMNS = {
    "dt", "channel_arn", "stream_id", "channel_type", "name", "code"
  };

  private static final int DT = 0;
  private static final int ARN = 1;
  private static final int STREAM = 2;
  private static final int TYPE = 3;
  private static final int NAME = 4;
  private static final int CODE = 5;

  /** The columns the trend's older days need (the others read as null there). */
  static final String[] TREND_COLUMNS = {"dt", "channel_type", "name"};

  private final Folds.Days days;

  /** Per channel type: the window's takeovers [0] and the previous window's [1]. */
  final List<Map<String, Takeovers>> takeovers = List.of(new HashMap<>(), new HashMap<>());

  /** Per channel of the window, its takeovers. */
  final Map<String, ChannelTakeovers> channels = new HashMap<>();

  /** Per (channel_type, name, code) of the window, its problem events. */
  final Map<List<String>, Tally.OfSessions> problems = new HashMap<>();

  /** Takeover attempts and failures per (dt, channel_type) over the trend's days. */
  final Map<List<String>, long[]> trend = new HashMap<>();

  EventFold(Folds.Days days) {
    this.days = days;
  }

  static boolean isTakeover(String name) {
    return TakeoverFailureReport.TAKEOVER.equals(name)
        || TakeoverFailureReport.TAKEOVER_FAILURE.equals(name);
  }

  @Override
  public void add(Cells row) {
    String dt = row.string(DT);
    String type = row.string(TYPE);
    String name = row.string(NAME);
    boolean takeover = isTakeover(name);
    boolean failure = TakeoverFailureReport.TAKEOVER_FAILURE.equals(name);
    if (takeover && days.trend(dt)) {
      long[] t = trend.computeIfAbsent(Arrays.asList(dt, type), k -> new long[2]);
      t[0]++;
      t[1] += failure ? 1 : 0;
    }
    boolean current = days.current(dt);
    if (!current && !days.previous(dt)) {
      return;
    }
    String code = row.string(CODE);
    if (!takeover && !ErrorEventsReport.isProblem(name, code)) {
      return;
    }
    String arn = row.string(ARN);
    String stream = row.string(STREAM);
    if (takeover) {
      takeovers
          .get(current ? 0 : 1)
          .computeIfAbsent(type, k -> new Takeovers())
          .add(arn, stream, failure, code);
    }
    if (!current) {
      return;
    }
    if (takeover) {
      channels.computeIfAbsent(arn, k -> new ChannelTakeovers()).add(type, failure, code);
    }
    if (ErrorEventsReport.isProblem(name, code)) {
      Tally.OfSessions p =
          problems.computeIfAbsent(Arrays.asList(type, name, code), k -> new Tally.OfSessions());
      p.rows++;
      p.sessions.add(arn, stream);
    }
  }

  @Override
  public void merge(EventFold o) {
    for (int w = 0; w < 2; w++) {
      Map<String, Takeovers> mine = takeovers.get(w);
      o.takeovers.get(w).forEach((k, v) -> mine.merge(k, v, Takeovers::merge));
    }
    o.channels.forEach((k, v) -> channels.merge(k, v, ChannelTakeovers::merge));
    o.problems.forEach((k, v) -> problems.merge(k, v, Tally.OfSessions::merge));
    o.trend.forEach((k, v) -> trend.merge(k, v, Agg::addInto));
  }

  /** Takeovers of one channel type. */
  static final class Takeovers implements Serializable {
    private static final long serialVersionUID = 1L;
    final SessionKeys sessions = new SessionKeys();
    long successes;
    long failures;
    long invalidPriority;
    long mediaMismatch;
    long limitBreached;

    void add(String arn, String stream, boolean failure, String code) {
      sessions.add(arn, stream);
      if (!failure) {
        successes++;
        return;
      }
      failures++;
      if (TakeoverFailureReport.INVALID_PRIORITY.equals(code)) {
        invalidPriority++;
      } else if (TakeoverFailureReport.MEDIA_MISMATCH.equals(code)) {
        mediaMismatch++;
      } else if (TakeoverFailureReport.LIMIT_BREACHED.equals(code)) {
        limitBreached++;
      }
    }

    Takeovers merge(Takeovers o) {
      sessions.addAll(o.sessions);
      successes += o.successes;
      failures += o.failures;
      invalidPriority += o.invalidPriority;
      mediaMismatch += o.mediaMismatch;
      limitBreached += o.limitBreached;
      return this;
    }
  }

  /** One channel's takeovers: attempts, failures by code, and its greatest channel type. */
  static final class ChannelTakeovers implements Serializable {
    private static final long serialVersionUID = 1L;
    long attempts;
    long failures;
    String maxType;
    final Map<String, Long> failureCodes = new HashMap<>();

    void add(String type, boolean failure, String code) {
      attempts++;
      if (type != null && (maxType == null || type.compareTo(maxType) > 0)) {
        maxType = type;
      }
      if (failure) {
        failures++;
        failureCodes.merge(code, 1L, Long::sum);
      }
    }

    ChannelTakeovers merge(ChannelTakeovers o) {
      attempts += o.attempts;
      failures += o.failures;
      if (o.maxType != null && (maxType == null || o.maxType.compareTo(maxType) > 0)) {
        maxType = o.maxType;
      }
      o.failureCodes.forEach((k, v) -> failureCodes.merge(k, v, Long::sum));
      return this;
    }
  }
}
