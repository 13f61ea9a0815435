package io.ivsanalytics.flatten;

import static io.ivsanalytics.flatten.RecordColumns.T;
import static io.ivsanalytics.flatten.RecordColumns.T_BITRATE;
import static io.ivsanalytics.flatten.RecordColumns.T_CHANNELS;
import static io.ivsanalytics.flatten.RecordColumns.T_CODEC;
import static io.ivsanalytics.flatten.RecordColumns.T_ENCODER;
import static io.ivsanalytics.flatten.RecordColumns.T_FAMILY;
import static io.ivsanalytics.flatten.RecordColumns.T_FRAMERATE;
import static io.ivsanalytics.flatten.RecordColumns.T_HEIGHT;
import static io.ivsanalytics.flatten.RecordColumns.T_INDEX;
import static io.ivsanalytics.flatten.RecordColumns.T_LEVEL;
import static io.ivsanalytics.flatten.RecordColumns.T_MEDIA;
import static io.ivsanalytics.flatten.RecordColumns.T_PROFILE;
import static io.ivsanalytics.flatten.RecordColumns.T_SAMPLE_RATE;
import static io.ivsanalytics.flatten.RecordColumns.T_TRACK;
import static io.ivsanalytics.flatten.RecordColumns.T_WIDTH;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A session's tracks: {@code ingestConfigurations} (all video tracks, then all audio tracks), or,
 * only when that holds none, the deprecated {@code ingestConfiguration}; codec families.
 */
final class TrackParser {
  /** Paths as odd fields name them: any index is "[*]". */
  private static final String VIDEO = "ingestConfigurations.videoConfigurations[*]";

  private static final String AUDIO = "ingestConfigurations.audioConfigurations[*]";

  static List<Object[]> tracks(JsonNode s, JsonFields c) {
    List<Object[]> out = new ArrayList<>(4);
    JsonNode multi = s.get("ingestConfigurations");
    if (multi != null && !multi.isNull()) {
      JsonNode videos =
          c.array(multi.get("videoConfigurations"), "ingestConfigurations.videoConfigurations");
      for (int i = 0; i < videos.size(); i++) {
        Object[] t = video(videos.get(i), i, VIDEO, c);
        if (t != null) {
          out.add(t);
        }
      }
      JsonNode audios =
          c.array(multi.get("audioConfigurations"), "ingestConfigurations.audioConfigurations");
      for (int i = 0; i < audios.size(); i++) {
        Object[] t = audio(audios.get(i), i, AUDIO, c);
        if (t != null) {
          out.add(t);
        }
      }
    }
    if (!out.isEmpty()) {
      return out;
    }
    JsonNode legacy = s.get("ingestConfiguration");
    if (legacy != null && legacy.isObject()) {
      if (JsonFields.hasFields(legacy.get("video"))) {
        out.add(video(legacy.get("video"), 0, "ingestConfiguration.video", c));
      }
      if (JsonFields.hasFields(legacy.get("audio"))) {
        out.add(audio(legacy.get("audio"), 0, "ingestConfiguration.audio", c));
      }
    }
    return out;
  }

  private static Object[] video(JsonNode n, int index, String path, JsonFields c) {
    if (!c.object(n, path)) {
      return null;
    }
    Object[] t = new Object[T.size()];
    t[T_MEDIA] = "video";
    t[T_TRACK] = trackName(c.term(n, "track", path), index);
    t[T_INDEX] = index;
    String codec = c.term(n, "codec", path);
    t[T_CODEC] = codec;
    t[T_FAMILY] = codecFamily(codec);
    t[T_ENCODER] = c.term(n, "encoder", path);
    String profile = c.term(n, "profile", path);
    t[T_PROFILE] = profile != null ? profile : c.term(n, "avcProfile", path);
    String level = c.term(n, "level", path);
    t[T_LEVEL] = level != null ? level : c.term(n, "avcLevel", path);
    t[T_BITRATE] = c.lng(n, "targetBitrate", path);
    t[T_FRAMERATE] = c.integer(n, "targetFramerate", path);
    t[T_WIDTH] = c.integer(n, "videoWidth", path);
    t[T_HEIGHT] = c.integer(n, "videoHeight", path);
    return t;
  }

  private static Object[] audio(JsonNode n, int index, String path, JsonFields c) {
    if (!c.object(n, path)) {
      return null;
    }
    Object[] t = new Object[T.size()];
    t[T_MEDIA] = "audio";
    t[T_TRACK] = trackName(c.term(n, "track", path), index);
    t[T_INDEX] = index;
    String codec = c.term(n, "codec", path);
    t[T_CODEC] = codec;
    t[T_FAMILY] = codecFamily(codec);
    t[T_BITRATE] = c.lng(n, "targetBitrate", path);
    t[T_CHANNELS] = c.integer(n, "channels", path);
    t[T_SAMPLE_RATE] = c.integer(n, "sampleRate", path);
    return t;
  }

  /** IVS names tracks "Track0", "Track1", ...; a response without the field gets that name. */
  private static String trackName(String given, int index) {
    return given != null ? given : "Track" + index;
  }

  /**
   * {@code avc1.*}→H.264, {@code hvc1.*}/{@code hev1.*}→H.265, {@code av01.*}→AV1, {@code
   * mp4a.40.2}→AAC-LC, {@code mp4a.40.5}→HE-AAC, {@code opus}→Opus, anything else → the codec
   * string itself (null stays null). Prefixes match with or without the dotted suffix, ignoring
   * case.
   */
  static String codecFamily(String codec) {
    if (codec == null) {
      return null;
    }
    String k = codec.strip().toLowerCase(Locale.ROOT);
    if (prefixed(k, "avc1")) {
      return "H.264";
    }
    if (prefixed(k, "hvc1") || prefixed(k, "hev1")) {
      return "H.265";
    }
    if (prefixed(k, "av01")) {
      return "AV1";
    }
    switch (k) {
      case "mp4a.40.2":
        return "AAC-LC";
      case "mp4a.40.5":
        return "HE-AAC";
      case "opus":
        return "Opus";
      default:
        return codec;
    }
  }

  private static boolean prefixed(String codec, String fourcc) {
    return codec.equals(fourcc) || codec.startsWith(fourcc + ".");
  }

  private TrackParser() {}
}
