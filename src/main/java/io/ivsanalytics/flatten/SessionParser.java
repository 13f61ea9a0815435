package io.ivsanalytics.flatten;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.ivsanalytics.model.IvsArn;
import io.ivsanalytics.model.RawArchive;
import io.ivsanalytics.model.Schemas;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.StructType;

/**
 * Turns one GetStreamSession response into one {@link RecordSchema#RECORD} row: pure, no I/O, no
 * Spark context needed (executors call it; tests call it directly).
 *
 * <p>Rules (SPEC.md "Tables"):
 *
 * <ul>
 *   <li>Tracks come from {@code ingestConfigurations} (all video tracks, then all audio tracks,
 *       {@code track_index} = position in its own list). Only when that is absent or holds no
 *       track, the deprecated {@code ingestConfiguration} gives video and audio track0. Never both.
 *   <li>Video profile/level: {@code profile}/{@code level}, else the deprecated {@code
 *       avcProfile}/{@code avcLevel}.
 *   <li>{@code codec_family}: see {@link #codecFamily}.
 *   <li>Events: {@code event_index} = position in {@code truncatedEvents} (0 = most recent);
 *       {@code events_truncated} when the list holds 500 (the API maximum) or more.
 *   <li>No {@code endTime}: a live session ({@code is_live}, {@code end_time} and {@code
 *       duration_seconds} null). {@code duration_seconds} = whole seconds from start to end.
 *   <li>{@code account_id}, {@code region}, {@code channel_id} come from the channel ARN; an ARN
 *       that does not parse leaves them null.
 *   <li>{@code dt} = UTC date of {@code startTime}.
 *   <li>{@code fetched_at} = the response's top-level {@code fetchedAt} (raw archive), else the
 *       caller's fallback (the file's modification time).
 *   <li>The SRT passphrase is never read; only {@code srt.endpoint} is kept.
 *   <li>An empty string, which IVS returns for "not set" (e.g. {@code preset}, {@code
 *       playbackRestrictionPolicyArn}, event {@code code}), becomes null.
 *   <li>Unknown fields are ignored; enum values are kept as strings, known or not.
 * </ul>
 *
 * <p>A response that cannot be used (not JSON, no {@code streamSession}, no {@code streamId}, no
 * or bad {@code startTime}, no {@code channel.arn}) becomes an error row: {@code error.error_code}
 * = {@value #MALFORMED}, message naming the source, the line and the problem; {@code
 * channel_arn}/{@code stream_id} are filled when they could be read.
 *
 * <p>Any other field with an unexpected form never costs the session: a number with a fraction
 * where a whole number is expected is rounded ({@code targetFramerate: 29.97} → 30), a number
 * written as a string is read as the number, anything else that does not fit (an object where a
 * string is expected, {@code "fast"} as a bitrate, a bad {@code endTime}) becomes null, a list
 * entry that is not an object is left out. Each such field is reported in {@link
 * ParsedRecord#oddFields()} (path, value, where) so the run can count and log it.
 */
public final class SessionParser {
  public static final String MALFORMED = "MalformedResponse";
  /** The API returns at most this many events; a full list means older ones were dropped. */
  public static final int MAX_EVENTS = 500;

  static final ObjectMapper MAPPER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final StructType R = RecordSchema.RECORD;
  private static final int CHANNEL_ARN = R.fieldIndex("channel_arn");
  private static final int ACCOUNT_ID = R.fieldIndex("account_id");
  private static final int REGION = R.fieldIndex("region");
  private static final int CHANNEL_ID = R.fieldIndex("channel_id");
  private static final int STREAM_ID = R.fieldIndex("stream_id");
  private static final int START_TIME = R.fieldIndex("start_time");
  private static final int END_TIME = R.fieldIndex("end_time");
  private static final int DURATION = R.fieldIndex("duration_seconds");
  private static final int IS_LIVE = R.fieldIndex("is_live");
  private static final int CHANNEL_NAME = R.fieldIndex("channel_name");
  private static final int CHANNEL_TYPE = R.fieldIndex("channel_type");
  private static final int LATENCY_MODE = R.fieldIndex("latency_mode");
  private static final int CONTAINER_FORMAT = R.fieldIndex("container_format");
  private static final int PRESET = R.fieldIndex("preset");
  private static final int AUTHORIZED = R.fieldIndex("authorized");
  private static final int INSECURE_INGEST = R.fieldIndex("insecure_ingest");
  private static final int INGEST_ENDPOINT = R.fieldIndex("ingest_endpoint");
  private static final int PLAYBACK_URL = R.fieldIndex("playback_url");
  private static final int SRT_ENDPOINT = R.fieldIndex("srt_endpoint");
  private static final int PLAYBACK_POLICY = R.fieldIndex("playback_restriction_policy_arn");
  private static final int RECORDING_ARN = R.fieldIndex("recording_configuration_arn");
  private static final int AD_ARN = R.fieldIndex("ad_configuration_arn");
  private static final int MT_ENABLED = R.fieldIndex("multitrack_enabled");
  private static final int MT_POLICY = R.fieldIndex("multitrack_policy");
  private static final int MT_MAX_RES = R.fieldIndex("multitrack_maximum_resolution");
  private static final int CHANNEL_TAGS = R.fieldIndex("channel_tags");
  private static final int VIDEO_COUNT = R.fieldIndex("video_track_count");
  private static final int AUDIO_COUNT = R.fieldIndex("audio_track_count");
  private static final int EVENT_COUNT = R.fieldIndex("event_count");
  private static final int EVENTS_TRUNCATED = R.fieldIndex("events_truncated");
  private static final int FETCHED_AT = R.fieldIndex("fetched_at");
  private static final int DT = R.fieldIndex(Schemas.DT);
  private static final int TRACKS = R.fieldIndex(RecordSchema.TRACKS);
  private static final int EVENTS = R.fieldIndex(RecordSchema.EVENTS);
  private static final int RECORDING = R.fieldIndex(RecordSchema.RECORDING);
  private static final int ERROR = R.fieldIndex(RecordSchema.ERROR);
  private static final int SOURCE = R.fieldIndex(RecordSchema.SOURCE);
  private static final int RECORD_ID = R.fieldIndex(RecordSchema.RECORD_ID);

  private static final StructType T = RecordSchema.TRACK;
  private static final int T_MEDIA = T.fieldIndex("media");
  private static final int T_TRACK = T.fieldIndex("track");
  private static final int T_INDEX = T.fieldIndex("track_index");
  private static final int T_CODEC = T.fieldIndex("codec");
  private static final int T_FAMILY = T.fieldIndex("codec_family");
  private static final int T_ENCODER = T.fieldIndex("encoder");
  private static final int T_PROFILE = T.fieldIndex("profile");
  private static final int T_LEVEL = T.fieldIndex("level");
  private static final int T_BITRATE = T.fieldIndex("target_bitrate");
  private static final int T_FRAMERATE = T.fieldIndex("target_framerate");
  private static final int T_WIDTH = T.fieldIndex("video_width");
  private static final int T_HEIGHT = T.fieldIndex("video_height");
  private static final int T_CHANNELS = T.fieldIndex("audio_channels");
  private static final int T_SAMPLE_RATE = T.fieldIndex("sample_rate");

  private static final StructType E = RecordSchema.EVENT;
  private static final int E_INDEX = E.fieldIndex("event_index");
  private static final int E_TIME = E.fieldIndex("event_time");
  private static final int E_NAME = E.fieldIndex("name");
  private static final int E_TYPE = E.fieldIndex("type");
  private static final int E_CODE = E.fieldIndex("code");

  private static final StructType C = RecordSchema.RECORDING_STRUCT;
  private static final int C_ARN = C.fieldIndex("recording_configuration_arn");
  private static final int C_NAME = C.fieldIndex("recording_configuration_name");
  private static final int C_STATE = C.fieldIndex("state");
  private static final int C_BUCKET = C.fieldIndex("s3_bucket");
  private static final int C_RECONNECT = C.fieldIndex("reconnect_window_seconds");
  private static final int C_SELECTION = C.fieldIndex("rendition_selection");
  private static final int C_RENDITIONS = C.fieldIndex("renditions");
  private static final int C_THUMB_MODE = C.fieldIndex("thumbnail_recording_mode");
  private static final int C_THUMB_INTERVAL = C.fieldIndex("thumbnail_target_interval_seconds");
  private static final int C_THUMB_RES = C.fieldIndex("thumbnail_resolution");
  private static final int C_THUMB_STORAGE = C.fieldIndex("thumbnail_storage");
  private static final int C_TAGS = C.fieldIndex("tags");

  private static final StructType X = RecordSchema.ERROR_STRUCT;
  private static final int X_CODE = X.fieldIndex("error_code");
  private static final int X_STATUS = X.fieldIndex("http_status");
  private static final int X_MESSAGE = X.fieldIndex("message");
  private static final int X_ATTEMPTS = X.fieldIndex("attempts");

  private static final Pattern INDEX = Pattern.compile("\\[\\d+\\]");

  /** A response that cannot become a session; the message names the field and the value. */
  public static final class MalformedException extends Exception {
    private final String channelArn;
    private final String streamId;

    MalformedException(String message, String channelArn, String streamId) {
      super(message, null, false, false);
      this.channelArn = channelArn;
      this.streamId = streamId;
    }
  }

  /**
   * Parses one JSON text (a response, possibly with {@code fetchedAt}) into a record row; never
   * throws for bad input: a malformed text gives an error row.
   *
   * @param where how the error message names the input, e.g. {@code "s3://b/raw/x.jsonl.gz line 7"}
   * @param fallbackFetchedAt fetched_at when the response has no {@code fetchedAt}
   */
  public static ParsedRecord parseText(
      String text, String source, String where, long recordId, Instant fallbackFetchedAt) {
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return errorRow(
          where + ": not valid JSON: " + e.getOriginalMessage(), null, null, fallbackFetchedAt,
          source, recordId);
    }
    if (node == null || node.isMissingNode()) {
      return errorRow(where + ": empty", null, null, fallbackFetchedAt, source, recordId);
    }
    return parse(node, source, where, recordId, fallbackFetchedAt);
  }

  /** Parses one response tree into a record row (see {@link #parseText}). */
  public static ParsedRecord parse(
      JsonNode response, String source, String where, long recordId, Instant fallbackFetchedAt) {
    Instant fetchedAt = fallbackFetchedAt;
    try {
      if (!response.isObject()) {
        throw new MalformedException("not a JSON object", null, null);
      }
      List<ParsedRecord.OddField> odd = new ArrayList<>(0);
      Instant declared = lenientTime(response.get(RawArchive.FETCHED_AT), RawArchive.FETCHED_AT, where, odd);
      if (declared != null) {
        fetchedAt = declared;
      }
      return session(response, fetchedAt, source, recordId, where, odd);
    } catch (MalformedException e) {
      return errorRow(where + ": " + e.getMessage(), e.channelArn, e.streamId, fetchedAt, source, recordId);
    }
  }

  /** An error row for an input that could not be read or parsed at all. */
  public static ParsedRecord errorRow(
      String message, String channelArn, String streamId, Instant fetchedAt, String source, long recordId) {
    Object[] v = new Object[R.size()];
    v[CHANNEL_ARN] = channelArn;
    v[STREAM_ID] = streamId;
    v[FETCHED_AT] = ts(fetchedAt);
    Object[] x = new Object[X.size()];
    x[X_CODE] = MALFORMED;
    x[X_STATUS] = null;
    x[X_MESSAGE] = message;
    x[X_ATTEMPTS] = 0;
    v[ERROR] = x;
    v[TRACKS] = new Object[0];
    v[EVENTS] = new Object[0];
    v[SOURCE] = source;
    v[RECORD_ID] = recordId;
    return new ParsedRecord(v, null);
  }

  private static ParsedRecord session(
      JsonNode response, Instant fetchedAt, String source, long recordId, String where, List<ParsedRecord.OddField> odd)
      throws MalformedException {
    JsonNode s = response.get(RawArchive.STREAM_SESSION);
    if (s == null || s.isNull()) {
      throw new MalformedException("no 'streamSession' object", null, null);
    }
    if (!s.isObject()) {
      throw new MalformedException("'streamSession' is not an object: " + abbreviate(s), null, null);
    }
    JsonNode ch = s.path("channel");
    String arn = ch.isObject() ? textOrNull(ch.get("arn")) : null;
    String streamId = textOrNull(s.get("streamId"));
    if (streamId == null) {
      throw new MalformedException("no 'streamSession.streamId'", arn, null);
    }
    if (!ch.isObject()) {
      throw new MalformedException("no 'streamSession.channel' object", null, streamId);
    }
    if (arn == null) {
      throw new MalformedException("no 'streamSession.channel.arn'", null, streamId);
    }
    Ctx c = new Ctx(arn, streamId, where, odd);
    Instant start = time(s.get("startTime"), "streamSession.startTime", arn, streamId);
    if (start == null) {
      throw new MalformedException("no 'streamSession.startTime'", arn, streamId);
    }
    Instant end = lenientTime(s.get("endTime"), "streamSession.endTime", where, odd);

    Object[] v = new Object[R.size()];
    v[CHANNEL_ARN] = arn;
    IvsArn parsed = IvsArn.tryParse(arn);
    if (parsed != null) {
      v[ACCOUNT_ID] = parsed.accountId();
      v[REGION] = parsed.region();
      v[CHANNEL_ID] = parsed.resourceId();
    }
    v[STREAM_ID] = streamId;
    v[START_TIME] = ts(start);
    v[END_TIME] = ts(end);
    v[DURATION] = end == null ? null : Duration.between(start, end).getSeconds();
    v[IS_LIVE] = end == null;
    v[CHANNEL_NAME] = c.str(ch, "name", "channel.name");
    v[CHANNEL_TYPE] = c.str(ch, "type", "channel.type");
    v[LATENCY_MODE] = c.str(ch, "latencyMode", "channel.latencyMode");
    v[CONTAINER_FORMAT] = c.str(ch, "containerFormat", "channel.containerFormat");
    v[PRESET] = c.str(ch, "preset", "channel.preset");
    v[AUTHORIZED] = c.bool(ch, "authorized", "channel.authorized");
    v[INSECURE_INGEST] = c.bool(ch, "insecureIngest", "channel.insecureIngest");
    v[INGEST_ENDPOINT] = c.str(ch, "ingestEndpoint", "channel.ingestEndpoint");
    v[PLAYBACK_URL] = c.str(ch, "playbackUrl", "channel.playbackUrl");
    v[SRT_ENDPOINT] = c.str(ch.path("srt"), "endpoint", "channel.srt.endpoint");
    v[PLAYBACK_POLICY] =
        c.str(ch, "playbackRestrictionPolicyArn", "channel.playbackRestrictionPolicyArn");
    v[RECORDING_ARN] = c.str(ch, "recordingConfigurationArn", "channel.recordingConfigurationArn");
    v[AD_ARN] = c.str(ch, "adConfigurationArn", "channel.adConfigurationArn");
    JsonNode mt = ch.path("multitrackInputConfiguration");
    v[MT_ENABLED] = c.bool(mt, "enabled", "channel.multitrackInputConfiguration.enabled");
    v[MT_POLICY] = c.str(mt, "policy", "channel.multitrackInputConfiguration.policy");
    v[MT_MAX_RES] =
        c.str(mt, "maximumResolution", "channel.multitrackInputConfiguration.maximumResolution");
    v[CHANNEL_TAGS] = c.tags(ch.get("tags"), "channel.tags");

    List<Object[]> tracks = tracks(s, c);
    int video = 0;
    for (Object[] t : tracks) {
      if ("video".equals(t[T_MEDIA])) {
        video++;
      }
    }
    v[TRACKS] = tracks.toArray();
    v[VIDEO_COUNT] = video;
    v[AUDIO_COUNT] = tracks.size() - video;

    List<Object[]> events = events(s.get("truncatedEvents"), c);
    v[EVENTS] = events.toArray();
    v[EVENT_COUNT] = events.size();
    v[EVENTS_TRUNCATED] = events.size() >= MAX_EVENTS;

    v[RECORDING] = recording(s.get("recordingConfiguration"), c);
    v[FETCHED_AT] = ts(fetchedAt);
    v[DT] = LocalDate.ofInstant(start, ZoneOffset.UTC).toString();
    v[SOURCE] = source;
    v[RECORD_ID] = recordId;
    return new ParsedRecord(v, odd);
  }

  private static List<Object[]> tracks(JsonNode s, Ctx c) {
    List<Object[]> out = new ArrayList<>(4);
    JsonNode multi = s.get("ingestConfigurations");
    if (multi != null && !multi.isNull()) {
      JsonNode videos = c.array(multi.get("videoConfigurations"), "ingestConfigurations.videoConfigurations");
      for (int i = 0; i < videos.size(); i++) {
        Object[] t = video(videos.get(i), i, "ingestConfigurations.videoConfigurations[" + i + "]", c);
        if (t != null) {
          out.add(t);
        }
      }
      JsonNode audios = c.array(multi.get("audioConfigurations"), "ingestConfigurations.audioConfigurations");
      for (int i = 0; i < audios.size(); i++) {
        Object[] t = audio(audios.get(i), i, "ingestConfigurations.audioConfigurations[" + i + "]", c);
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
      if (hasFields(legacy.get("video"))) {
        out.add(video(legacy.get("video"), 0, "ingestConfiguration.video", c));
      }
      if (hasFields(legacy.get("audio"))) {
        out.add(audio(legacy.get("audio"), 0, "ingestConfiguration.audio", c));
      }
    }
    return out;
  }

  private static Object[] video(JsonNode n, int index, String path, Ctx c) {
    if (!c.object(n, path)) {
      return null;
    }
    Object[] t = new Object[T.size()];
    t[T_MEDIA] = "video";
    t[T_TRACK] = trackName(c.str(n, "track", path + ".track"), index);
    t[T_INDEX] = index;
    String codec = c.str(n, "codec", path + ".codec");
    t[T_CODEC] = codec;
    t[T_FAMILY] = codecFamily(codec);
    t[T_ENCODER] = c.str(n, "encoder", path + ".encoder");
    String profile = c.str(n, "profile", path + ".profile");
    t[T_PROFILE] = profile != null ? profile : c.str(n, "avcProfile", path + ".avcProfile");
    String level = c.str(n, "level", path + ".level");
    t[T_LEVEL] = level != null ? level : c.str(n, "avcLevel", path + ".avcLevel");
    t[T_BITRATE] = c.lng(n, "targetBitrate", path + ".targetBitrate");
    t[T_FRAMERATE] = c.integer(n, "targetFramerate", path + ".targetFramerate");
    t[T_WIDTH] = c.integer(n, "videoWidth", path + ".videoWidth");
    t[T_HEIGHT] = c.integer(n, "videoHeight", path + ".videoHeight");
    return t;
  }

  private static Object[] audio(JsonNode n, int index, String path, Ctx c) {
    if (!c.object(n, path)) {
      return null;
    }
    Object[] t = new Object[T.size()];
    t[T_MEDIA] = "audio";
    t[T_TRACK] = trackName(c.str(n, "track", path + ".track"), index);
    t[T_INDEX] = index;
    String codec = c.str(n, "codec", path + ".codec");
    t[T_CODEC] = codec;
    t[T_FAMILY] = codecFamily(codec);
    t[T_BITRATE] = c.lng(n, "targetBitrate", path + ".targetBitrate");
    t[T_CHANNELS] = c.integer(n, "channels", path + ".channels");
    t[T_SAMPLE_RATE] = c.integer(n, "sampleRate", path + ".sampleRate");
    return t;
  }

  /** IVS names tracks "Track0", "Track1", ...; a response without the field gets that name. */
  private static String trackName(String given, int index) {
    return given != null ? given : "Track" + index;
  }

  private static List<Object[]> events(JsonNode list, Ctx c) {
    JsonNode a = c.array(list, "truncatedEvents");
    List<Object[]> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      Object[] e = event(a.get(i), i, c);
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  /** Paths name "[*]": constant strings, no building per event. */
  private static Object[] event(JsonNode n, int i, Ctx c) {
    if (!c.object(n, "truncatedEvents[*]")) {
      return null;
    }
    Object[] e = new Object[E.size()];
    e[E_INDEX] = i;
    e[E_TIME] = ts(lenientTime(n.get("eventTime"), "truncatedEvents[*].eventTime", c.where, c.odd));
    e[E_NAME] = c.str(n, "name", "truncatedEvents[*].name");
    e[E_TYPE] = c.str(n, "type", "truncatedEvents[*].type");
    e[E_CODE] = c.str(n, "code", "truncatedEvents[*].code");
    return e;
  }

  private static Object[] recording(JsonNode n, Ctx c) {
    if (n == null || n.isNull() || (n.isObject() && n.size() == 0)) {
      return null;
    }
    String p = "recordingConfiguration";
    if (!c.object(n, p)) {
      return null;
    }
    Object[] r = new Object[C.size()];
    r[C_ARN] = c.str(n, "arn", p + ".arn");
    r[C_NAME] = c.str(n, "name", p + ".name");
    r[C_STATE] = c.str(n, "state", p + ".state");
    r[C_BUCKET] =
        c.str(n.path("destinationConfiguration").path("s3"), "bucketName",
            p + ".destinationConfiguration.s3.bucketName");
    r[C_RECONNECT] = c.integer(n, "recordingReconnectWindowSeconds", p + ".recordingReconnectWindowSeconds");
    JsonNode rend = n.path("renditionConfiguration");
    r[C_SELECTION] = c.str(rend, "renditionSelection", p + ".renditionConfiguration.renditionSelection");
    r[C_RENDITIONS] = c.strings(rend.get("renditions"), p + ".renditionConfiguration.renditions");
    JsonNode th = n.path("thumbnailConfiguration");
    r[C_THUMB_MODE] = c.str(th, "recordingMode", p + ".thumbnailConfiguration.recordingMode");
    r[C_THUMB_INTERVAL] =
        c.lng(th, "targetIntervalSeconds", p + ".thumbnailConfiguration.targetIntervalSeconds");
    r[C_THUMB_RES] = c.str(th, "resolution", p + ".thumbnailConfiguration.resolution");
    r[C_THUMB_STORAGE] = c.strings(th.get("storage"), p + ".thumbnailConfiguration.storage");
    r[C_TAGS] = c.tags(n.get("tags"), p + ".tags");
    return r;
  }

  /**
   * {@code avc1.*}→H.264, {@code hvc1.*}/{@code hev1.*}→H.265, {@code av01.*}→AV1, {@code
   * mp4a.40.2}→AAC-LC, {@code mp4a.40.5}→HE-AAC, {@code opus}→Opus, anything else → the codec
   * string itself (null stays null). Prefixes match with or without the dotted suffix, ignoring
   * case.
   */
  public static String codecFamily(String codec) {
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

  /** ISO-8601 with offset or Z (any fraction), a local date-time taken as UTC, or epoch seconds. */
  static Instant time(JsonNode n, String path, String arn, String streamId) throws MalformedException {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isNumber()) {
      return Instant.ofEpochMilli(Math.round(n.asDouble() * 1000.0));
    }
    if (n.isTextual()) {
      String t = n.textValue();
      if (t.isBlank()) {
        return null;
      }
      Instant fast = fastIso(t);
      if (fast != null) {
        return fast;
      }
      try {
        TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(t.strip());
        return parsed.isSupported(ChronoField.OFFSET_SECONDS)
            ? OffsetDateTime.from(parsed).toInstant()
            : LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC);
      } catch (DateTimeException e) {
        // reported below
      }
    }
    throw new MalformedException(
        String.format(Locale.ROOT, "'%s' is not an ISO-8601 time: %s", path, abbreviate(n)), arn, streamId);
  }

  /** {@link #time} for a field that is not part of the key: a bad value is reported and null. */
  static Instant lenientTime(JsonNode n, String path, String where, List<ParsedRecord.OddField> odd) {
    try {
      return time(n, path, null, null);
    } catch (MalformedException e) {
      odd.add(oddField(path, "is not an ISO-8601 time: set to null", n, where));
      return null;
    }
  }

  static ParsedRecord.OddField oddField(String path, String problem, JsonNode value, String where) {
    return new ParsedRecord.OddField(INDEX.matcher(path).replaceAll("[*]") + " " + problem,
        abbreviate(value) + " at " + where);
  }

  /**
   * The shapes IVS and the AWS CLI print ({@code 2024-05-01T10:00:00Z}, {@code
   * 2024-05-01T10:00:00.123Z}, {@code 2024-05-01T10:00:00+00:00}), parsed without a formatter
   * (formatters dominate the parse time at 20 timestamps per session); null for anything else,
   * which then goes through {@link DateTimeFormatter#ISO_DATE_TIME}.
   */
  static Instant fastIso(String t) {
    int n = t.length();
    if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
        || t.charAt(16) != ':') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    int i = 19;
    int millis = 0;
    if (i < n && t.charAt(i) == '.') {
      int start = ++i;
      while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        i++;
      }
      if (i == start) {
        return null;
      }
      for (int k = 0; k < 3; k++) {
        millis = millis * 10 + (start + k < i ? t.charAt(start + k) - '0' : 0);
      }
    }
    int offsetSeconds;
    if (i == n - 1 && (t.charAt(i) == 'Z' || t.charAt(i) == 'z')) {
      offsetSeconds = 0;
    } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
      int oh = digits(t, i + 1, 2);
      int om = digits(t, i + 4, 2);
      if (oh < 0 || om < 0 || oh > 18 || om > 59) {
        return null;
      }
      offsetSeconds = (t.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return null;
    }
    if (day > 28 && day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return null;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    long seconds = epochDay * 86400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    return Instant.ofEpochSecond(seconds, millis * 1_000_000L);
  }

  private static int digits(String t, int from, int count) {
    int v = 0;
    for (int k = from; k < from + count; k++) {
      char ch = t.charAt(k);
      if (ch < '0' || ch > '9') {
        return -1;
      }
      v = v * 10 + (ch - '0');
    }
    return v;
  }

  /** Millisecond precision, as the lake stores it, so re-runs compare equal to what was written. */
  private static Timestamp ts(Instant i) {
    return i == null ? null : new Timestamp(i.toEpochMilli());
  }

  private static boolean hasFields(JsonNode n) {
    return n != null && n.isObject() && n.size() > 0;
  }

  private static String textOrNull(JsonNode n) {
    if (n == null || !n.isValueNode() || n.isNull()) {
      return null;
    }
    String t = n.asText();
    return t.isEmpty() ? null : t;
  }

  static String abbreviate(JsonNode n) {
    String t = n.toString();
    return t.length() > 80 ? t.substring(0, 77) + "..." : t;
  }

  /**
   * Typed field access for the fields that are not part of the key: a value of another form is
   * rounded or nulled and reported as an odd field, never an error.
   */
  private record Ctx(String arn, String streamId, String where, List<ParsedRecord.OddField> odd) {
    private void note(String path, String problem, JsonNode value) {
      odd.add(oddField(path, problem, value, where));
    }

    boolean object(JsonNode n, String path) {
      if (n == null || !n.isObject()) {
        note(path, "is not an object: left out", n == null ? MissingNode.getInstance() : n);
        return false;
      }
      return true;
    }

    JsonNode array(JsonNode n, String path) {
      if (n == null || n.isNull()) {
        return JsonNodeFactory.instance.arrayNode();
      }
      if (!n.isArray()) {
        note(path, "is not a list: taken as empty", n);
        return JsonNodeFactory.instance.arrayNode();
      }
      return n;
    }

    String str(JsonNode parent, String field, String path) {
      JsonNode n = parent.get(field);
      if (n == null || n.isNull()) {
        return null;
      }
      if (!n.isValueNode()) {
        note(path, "is not a string: set to null", n);
        return null;
      }
      String t = n.asText();
      return t.isEmpty() ? null : t;
    }

    Boolean bool(JsonNode parent, String field, String path) {
      JsonNode n = parent.get(field);
      if (n == null || n.isNull()) {
        return null;
      }
      if (n.isBoolean()) {
        return n.booleanValue();
      }
      if (n.isTextual() && ("true".equalsIgnoreCase(n.textValue()) || "false".equalsIgnoreCase(n.textValue()))) {
        note(path, "is a boolean written as a string: read as the boolean", n);
        return Boolean.parseBoolean(n.textValue());
      }
      note(path, "is not true or false: set to null", n);
      return null;
    }

    Long lng(JsonNode parent, String field, String path) {
      JsonNode n = parent.get(field);
      if (n == null || n.isNull()) {
        return null;
      }
      if (n.isIntegralNumber() && n.canConvertToLong()) {
        return n.longValue();
      }
      double d;
      if (n.isNumber()) {
        d = n.doubleValue();
      } else if (n.isTextual()) {
        String t = n.textValue().strip();
        try {
          long l = Long.parseLong(t);
          note(path, "is a number written as a string: read as the number", n);
          return l;
        } catch (NumberFormatException e) {
          try {
            d = Double.parseDouble(t);
          } catch (NumberFormatException e2) {
            note(path, "is not a number: set to null", n);
            return null;
          }
        }
      } else {
        note(path, "is not a number: set to null", n);
        return null;
      }
      if (Double.isNaN(d) || Double.isInfinite(d) || Math.abs(d) >= 9.0e18) {
        note(path, "is not a whole number in range: set to null", n);
        return null;
      }
      note(path, "is not a whole number: rounded", n);
      return Math.round(d);
    }

    Integer integer(JsonNode parent, String field, String path) {
      Long l = lng(parent, field, path);
      if (l == null) {
        return null;
      }
      if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
        note(path, "is outside the 32-bit range: set to null", parent.get(field));
        return null;
      }
      return l.intValue();
    }

    Object[] strings(JsonNode n, String path) {
      if (n == null || n.isNull()) {
        return null;
      }
      if (!n.isArray()) {
        note(path, "is not a list of strings: set to null", n);
        return null;
      }
      Object[] out = new Object[n.size()];
      for (int i = 0; i < out.length; i++) {
        JsonNode e = n.get(i);
        if (!e.isValueNode()) {
          note(path, "is not a list of strings: set to null", n);
          return null;
        }
        out[i] = e.isNull() ? null : e.asText();
      }
      return out;
    }

    Map<String, String> tags(JsonNode n, String path) {
      if (n == null || n.isNull()) {
        return null;
      }
      if (!n.isObject()) {
        note(path, "is not an object of strings: set to null", n);
        return null;
      }
      Map<String, String> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode val = e.getValue();
        if (!val.isValueNode()) {
          note(path + "." + e.getKey(), "is not a string: set to null", val);
          out.put(e.getKey(), null);
        } else {
          out.put(e.getKey(), val.isNull() ? null : val.asText());
        }
      }
      return out;
    }
  }

  private SessionParser() {}
}
