package io.ivsanalytics.reports;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tracks of a report folded in one pass: per channel type, video conformance of the window and
 * of the previous window; tracks and sessions per codec; nonconformant video tracks per encoder;
 * evaluated and conformant video tracks per day and type for the weekly trend.
 */
final class TrackFold implements Folds.Fold<TrackFold> {
  private static final long serialVersionUID = 1L;

  /** The columns read, in this order. */
  static final String[] COLUMNS = {
    "dt",
    "channel_type",
    "media",
    "target_bitrate",
    "target_framerate",
    "video_width",
    "video_height",
    "channel_arn",
    "stream_id",
    "codec",
    "codec_family",
    "encoder"
  };

  /** The columns the trend's older days need (the others read as null there). */
  static final String[] TREND_COLUMNS = Arrays.copyOf(COLUMNS, 7);

  private static final int DT = 0;
  private static final int TYPE = 1;
  private static final int MEDIA = 2;
  private static final int BITRATE = 3;
  private static final int FRAMERATE = 4;
  private static final int WIDTH = 5;
  private static final int HEIGHT = 6;
  private static final int ARN = 7;
  private static final int STREAM = 8;
  private static final int CODEC = 9;
  private static final int FAMILY = 10;
  private static final int ENCODER = 11;

  static final String VIDEO = "video";

  private final Folds.Days days;
  private final BitrateLimits limits;

  /** Per channel type: the window's video conformance [0] and the previous window's [1]. */
  final List<Map<String, Conformance>> conformance = List.of(new HashMap<>(), new HashMap<>());

  /** Per (channel_type, media, codec_family, codec) of the window. */
  final Map<List<String>, Tally.OfSessions> codecs = new HashMap<>();

  /**
   * Per (channel_type, encoder, codec) of the window, its evaluated video tracks: tracks,
   * nonconformant, over bitrate, over resolution, over frame rate.
   */
  final Map<List<String>, long[]> encoders = new HashMap<>();

  /** Evaluated and conformant video tracks per (dt, channel_type) over the trend's days. */
  final Map<List<String>, long[]> trend = new HashMap<>();

  TrackFold(Folds.Days days, BitrateLimits limits) {
    this.days = days;
    this.limits = limits;
  }

  @Override
  public void add(Cells row) {
    String dt = row.string(DT);
    String type = row.string(TYPE);
    String media = row.string(MEDIA);
    boolean video = VIDEO.equals(media);
    boolean current = days.current(dt);
    boolean previous = !current && days.previous(dt);
    TrackChecks checks = null;
    if (video) {
      Long bitrate = row.longValue(BITRATE);
      checks =
          TrackChecks.of(
              limits,
              type,
              bitrate,
              row.intValue(FRAMERATE),
              row.intValue(WIDTH),
              row.intValue(HEIGHT));
      if (days.trend(dt)) {
        long[] t = trend.computeIfAbsent(Arrays.asList(dt, type), k -> new long[2]);
        t[0] += checks.evaluated() ? 1 : 0;
        t[1] += checks.conformant() ? 1 : 0;
      }
      if (current || previous) {
        conformance
            .get(current ? 0 : 1)
            .computeIfAbsent(type, k -> new Conformance())
            .add(checks, bitrate);
      }
    }
    if (!current) {
      return;
    }
    String codec = row.string(CODEC);
    Tally.OfSessions c =
        codecs.computeIfAbsent(
            Arrays.asList(type, media, row.string(FAMILY), codec), k -> new Tally.OfSessions());
    c.rows++;
    c.sessions.add(row.string(ARN), row.string(STREAM));
    if (video && checks.evaluated()) {
      long[] e =
          encoders.computeIfAbsent(
              Arrays.asList(type, row.string(ENCODER), codec), k -> new long[5]);
      e[0]++;
      e[1] += checks.nonconformant() ? 1 : 0;
      e[2] += checks.overBitrate() ? 1 : 0;
      e[3] += checks.overResolution() ? 1 : 0;
      e[4] += checks.overFramerate() ? 1 : 0;
    }
  }

  @Override
  public void merge(TrackFold o) {
    for (int w = 0; w < 2; w++) {
      Map<String, Conformance> mine = conformance.get(w);
      o.conformance.get(w).forEach((k, v) -> mine.merge(k, v, Conformance::merge));
    }
    o.codecs.forEach((k, v) -> codecs.merge(k, v, Tally.OfSessions::merge));
    o.encoders.forEach((k, v) -> encoders.merge(k, v, Agg::addInto));
    o.trend.forEach((k, v) -> trend.merge(k, v, Agg::addInto));
  }

  /** Video tracks of one channel type against its limits, and their target bitrates. */
  static final class Conformance implements Serializable {
    private static final long serialVersionUID = 1L;
    long videoTracks;
    long evaluated;
    long conformant;
    long overBitrate;
    long overResolution;
    long overFramerate;
    final LongCounts bitrates = new LongCounts();

    void add(TrackChecks checks, Long bitrate) {
      videoTracks++;
      evaluated += checks.evaluated() ? 1 : 0;
      conformant += checks.conformant() ? 1 : 0;
      overBitrate += checks.overBitrate() ? 1 : 0;
      overResolution += checks.overResolution() ? 1 : 0;
      overFramerate += checks.overFramerate() ? 1 : 0;
      bitrates.add(bitrate);
    }

    Conformance merge(Conformance o) {
      videoTracks += o.videoTracks;
      evaluated += o.evaluated;
      conformant += o.conformant;
      overBitrate += o.overBitrate;
      overResolution += o.overResolution;
      overFramerate += o.overFramerate;
      bitrates.addAll(o.bitrates);
      return this;
    }
  }
}
