package io.ivsanalytics.reports;

import io.ivsanalytics.reports.BitrateLimits.ChannelLimits;

/**
 * The checks of one video track against {@link BitrateLimits} (see {@link
 * BitrateConformanceReport}): a track of a channel type with limits is evaluated; it breaks the
 * bitrate limit when target_bitrate is above its type's limit (the low limit when video_height is
 * at most the rule's height), the resolution limit when both sides are known and the long side or
 * the short side is above its limit (portrait counts), the frame rate limit when target_framerate
 * is above max_fps. A missing value breaks nothing; a track conforms when it breaks none.
 */
record TrackChecks(
    boolean evaluated, boolean overBitrate, boolean overResolution, boolean overFramerate) {

  static final TrackChecks NOT_EVALUATED = new TrackChecks(false, false, false, false);

  static TrackChecks of(
      BitrateLimits limits,
      String channelType,
      Long bitrate,
      Integer framerate,
      Integer width,
      Integer height) {
    ChannelLimits l = limits.get(channelType);
    if (l == null) {
      return NOT_EVALUATED;
    }
    long bitrateLimit =
        l.maxHeightForLowBitrate() != null && height != null && height <= l.maxHeightForLowBitrate()
            ? l.lowMaxBitrateBps()
            : l.maxBitrateBps();
    boolean overBitrate = bitrate != null && bitrate > bitrateLimit;
    boolean overResolution =
        width != null
            && height != null
            && (Math.max(width, height) > l.maxLongSide()
                || Math.min(width, height) > l.maxShortSide());
    boolean overFramerate = framerate != null && framerate > l.maxFps();
    return new TrackChecks(true, overBitrate, overResolution, overFramerate);
  }

  /** Evaluated and breaking none of the limits. */
  boolean conformant() {
    return evaluated && !overBitrate && !overResolution && !overFramerate;
  }

  /** Evaluated and breaking at least one limit. */
  boolean nonconformant() {
    return evaluated && !conformant();
  }
}
