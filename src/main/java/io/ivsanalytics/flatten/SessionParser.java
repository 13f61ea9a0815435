package io.ivsanalytics.flatten;

import static io.ivsanalytics.flatten.RecordColumns.ACCOUNT_ID;
import static io.ivsanalytics.flatten.RecordColumns.AD_ARN;
import static io.ivsanalytics.flatten.RecordColumns.AUDIO_COUNT;
import static io.ivsanalytics.flatten.RecordColumns.AUTHORIZED;
import static io.ivsanalytics.flatten.RecordColumns.CHANNEL_ARN;
import static io.ivsanalytics.flatten.RecordColumns.CHANNEL_ID;
import static io.ivsanalytics.flatten.RecordColumns.CHANNEL_NAME;
import static io.ivsanalytics.flatten.RecordColumns.CHANNEL_TAGS;
import static io.ivsanalytics.flatten.RecordColumns.CHANNEL_TYPE;
import static io.ivsanalytics.flatten.RecordColumns.CONTAINER_FORMAT;
import static io.ivsanalytics.flatten.RecordColumns.DT;
import static io.ivsanalytics.flatten.RecordColumns.DURATION;
import static io.ivsanalytics.flatten.RecordColumns.END_TIME;
import static io.ivsanalytics.flatten.RecordColumns.ERROR;
import static io.ivsanalytics.flatten.RecordColumns.EVENTS;
import static io.ivsanalytics.flatten.RecordColumns.EVENTS_TRUNCATED;
import static io.ivsanalytics.flatten.RecordColumns.EVENT_COUNT;
import static io.ivsanalytics.flatten.RecordColumns.FETCHED_AT;
import static io.ivsanalytics.flatten.RecordColumns.INGEST_ENDPOINT;
import static io.ivsanalytics.flatten.RecordColumns.INSECURE_INGEST;
import static io.ivsanalytics.flatten.RecordColumns.IS_LIVE;
import static io.ivsanalytics.flatten.RecordColumns.LATENCY_MODE;
import static io.ivsanalytics.flatten.RecordColumns.MT_ENABLED;
import static io.ivsanalytics.flatten.RecordColumns.MT_MAX_RES;
import static io.ivsanalytics.flatten.RecordColumns.MT_POLICY;
import static io.ivsanalytics.flatten.RecordColumns.PLAYBACK_POLICY;
import static io.ivsanalytics.flatten.RecordColumns.PLAYBACK_URL;
import static io.ivsanalytics.flatten.RecordColumns.PRESET;
import static io.ivsanalytics.flatten.RecordColumns.R;
import static io.ivsanalytics.flatten.RecordColumns.RECORDING;
import static io.ivsanalytics.flatten.RecordColumns.RECORDING_ARN;
import static io.ivsanalytics.flatten.RecordColumns.RECORD_ID;
import static io.ivsanalytics.flatten.RecordColumns.REGION;
import static io.ivsanalytics.flatten.RecordColumns.SOURCE;
import static io.ivsanalytics.flatten.RecordColumns.SRT_ENDPOINT;
import static io.ivsanalytics.flatten.RecordColumns.START_TIME;
import static io.ivsanalytics.flatten.RecordColumns.STREAM_ID;
import static io.ivsanalytics.flatten.RecordColumns.TRACKS;
import static io.ivsanalytics.flatten.RecordColumns.T_MEDIA;
import static io.ivsanalytics.flatten.RecordColumns.VIDEO_COUNT;
import static io.ivsanalytics.flatten.RecordColumns.X;
import static io.ivsanalytics.flatten.RecordColumns.X_ATTEMPTS;
import static io.ivsanalytics.flatten.RecordColumns.X_CODE;
import static io.ivsanalytics.flatten.RecordColumns.X_MESSAGE;
import static io.ivsanalytics.flatten.RecordColumns.X_STATUS;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivsanalytics.model.IvsArn;
import io.ivsanalytics.model.RawArchive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one GetStreamSession response into one {@link RecordSchema#RECORD} row: pure, no I/O, no
 * Spark context needed (executors call it; tests call it directly).
 *
 * <p>Rules (docs/tables.md):
 *
 * <ul>
 *   <li>Tracks come from {@code ingestConfigurations} (all video tracks, then all audio tracks,
 *       {@code track_index} = position in its own list). Only when that is absent or holds no
 *       track, the deprecated {@code ingestConfiguration} gives video and audio track0. Never both.
 *   <li>Video profile/level: {@code profile}/{@code level}, else the deprecated {@code
 *       avcProfile}/{@code avcLevel}.
 *   <li>{@code codec_family}: see {@link #codecFamily}.
 *   <li>Events: {@code event_index} = position in {@code truncatedEvents} (0 = most recent); {@code
 *       events_truncated} when the list holds 500 (the API maximum) or more.
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
 * <p>A response that cannot be used (not JSON, no {@code streamSession}, no {@code streamId}, no or
 * bad {@code startTime}, no {@code channel.arn}) becomes an error row: {@code error.error_code} =
 * {@value #MALFORMED}, message naming the source, the line and the problem; {@code
 * channel_arn}/{@code stream_id} are filled when they could be read.
 *
 * <p>Any other field with an unexpected form never costs the session: a number with a fraction
 * where a whole number is expected is rounded ({@code targetFramerate: 29.97} → 30), a number
 * written as a string is read as the number, anything else that does not fit (an object where a
 * string is expected, {@code "fast"} as a bitrate, a bad {@code endTime}) becomes null, a list
 * entry that is not an object is left out. Each such field is reported in {@link
 * ParsedRecord#oddFields()} (path, value, where) so the run can count and log it.
 *
 * <p>This class reads the response envelope, the key and the channel; the parts are read by {@link
 * Timestamps}, {@link JsonFields} (typed, lenient field access), {@link TrackParser}, {@link
 * EventParser} and {@link RecordingParser}, into rows laid out by {@link RecordColumns}.
 */
public final class SessionParser {
  public static final String MALFORMED = "MalformedResponse";

  /** The API returns at most this many events; a full list means older ones were dropped. */
  public static final int MAX_EVENTS = 500;

  /** Builds its trees' objects with {@link SmallObjects}. */
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .setNodeFactory(SmallObjects.INSTANCE);

  /** Slots of a thread's recently parsed channel ARNs: a power of two. */
  private static final int ARN_SLOTS = 1 << 14;

  private static final ThreadLocal<Object[]> ARNS =
      ThreadLocal.withInitial(() -> new Object[2 * ARN_SLOTS]);

  /**
   * {@link IvsArn#tryParse} of a channel ARN, remembered per thread by the ARN's hash: a channel
   * has many sessions, and an ARN that shares its slot with another is parsed again.
   */
  private static IvsArn channelArn(String arn) {
    Object[] slots = ARNS.get();
    int i = 2 * (arn.hashCode() & (ARN_SLOTS - 1));
    if (arn.equals(slots[i])) {
      return (IvsArn) slots[i + 1];
    }
    IvsArn parsed = IvsArn.tryParse(arn);
    slots[i] = arn;
    slots[i + 1] = parsed;
    return parsed;
  }

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
          where + ": not valid JSON: " + e.getOriginalMessage(),
          null,
          null,
          fallbackFetchedAt,
          source,
          recordId);
    }
    if (node == null || node.isMissingNode()) {
      return errorRow(where + ": empty", null, null, fallbackFetchedAt, source, recordId);
    }
    return parse(node, source, where, recordId, fallbackFetchedAt);
  }

  /**
   * {@link #parseText} of UTF-8 bytes, parsed without decoding them to a string first. A text that
   * does not parse this way (not JSON, or bytes that are not UTF-8) is decoded and parsed as {@link
   * #parseText} does, so the row and its message are the same either way.
   */
  static ParsedRecord parseUtf8(
      byte[] utf8,
      int offset,
      int length,
      String source,
      String where,
      long recordId,
      Instant fallbackFetchedAt) {
    StreamedResponse streamed = StreamedResponse.read(utf8, offset, length, where);
    if (streamed != null) {
      return parse(streamed.response, source, where, recordId, fallbackFetchedAt, streamed);
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(utf8, offset, length);
    } catch (IOException e) {
      node = null;
    }
    if (node == null || node.isMissingNode()) {
      return parseText(
          new String(utf8, offset, length, StandardCharsets.UTF_8),
          source,
          where,
          recordId,
          fallbackFetchedAt);
    }
    return parse(node, source, where, recordId, fallbackFetchedAt);
  }

  /** Parses one response tree into a record row (see {@link #parseText}). */
  public static ParsedRecord parse(
      JsonNode response, String source, String where, long recordId, Instant fallbackFetchedAt) {
    return parse(response, source, where, recordId, fallbackFetchedAt, null);
  }

  /** {@link #parse}, with the session's events already read when {@code streamed} has them. */
  private static ParsedRecord parse(
      JsonNode response,
      String source,
      String where,
      long recordId,
      Instant fallbackFetchedAt,
      StreamedResponse streamed) {
    Instant fetchedAt = fallbackFetchedAt;
    try {
      if (!response.isObject()) {
        throw new MalformedException("not a JSON object", null, null);
      }
      List<ParsedRecord.OddField> odd = new ArrayList<>(0);
      Instant declared =
          Timestamps.lenientTime(
              response.get(RawArchive.FETCHED_AT), RawArchive.FETCHED_AT, where, odd);
      if (declared != null) {
        fetchedAt = declared;
      }
      return session(response, fetchedAt, source, recordId, where, odd, streamed);
    } catch (MalformedException e) {
      return errorRow(
          where + ": " + e.getMessage(), e.channelArn, e.streamId, fetchedAt, source, recordId);
    }
  }

  /** An error row for an input that could not be read or parsed at all. */
  public static ParsedRecord errorRow(
      String message,
      String channelArn,
      String streamId,
      Instant fetchedAt,
      String source,
      long recordId) {
    Object[] v = new Object[R.size()];
    v[CHANNEL_ARN] = channelArn;
    v[STREAM_ID] = streamId;
    v[FETCHED_AT] = Timestamps.ts(fetchedAt);
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
      JsonNode response,
      Instant fetchedAt,
      String source,
      long recordId,
      String where,
      List<ParsedRecord.OddField> odd,
      StreamedResponse streamed)
      throws MalformedException {
    JsonNode s = response.get(RawArchive.STREAM_SESSION);
    if (s == null || s.isNull()) {
      throw new MalformedException("no 'streamSession' object", null, null);
    }
    if (!s.isObject()) {
      throw new MalformedException(
          "'streamSession' is not an object: " + JsonFields.abbreviate(s), null, null);
    }
    JsonNode ch = s.path("channel");
    String arn = ch.isObject() ? JsonFields.textOrNull(ch.get("arn")) : null;
    String streamId = JsonFields.textOrNull(s.get("streamId"));
    if (streamId == null) {
      throw new MalformedException("no 'streamSession.streamId'", arn, null);
    }
    if (!ch.isObject()) {
      throw new MalformedException("no 'streamSession.channel' object", null, streamId);
    }
    if (arn == null) {
      throw new MalformedException("no 'streamSession.channel.arn'", null, streamId);
    }
    JsonFields c = new JsonFields(arn, streamId, where, odd);
    Instant start = Timestamps.time(s.get("startTime"), "streamSession.startTime", arn, streamId);
    if (start == null) {
      throw new MalformedException("no 'streamSession.startTime'", arn, streamId);
    }
    Instant end = Timestamps.lenientTime(s.get("endTime"), "streamSession.endTime", where, odd);

    Object[] v = new Object[R.size()];
    v[CHANNEL_ARN] = arn;
    IvsArn parsed = channelArn(arn);
    if (parsed != null) {
      v[ACCOUNT_ID] = parsed.accountId();
      v[REGION] = parsed.region();
      v[CHANNEL_ID] = parsed.resourceId();
    }
    v[STREAM_ID] = streamId;
    v[START_TIME] = Timestamps.ts(start);
    v[END_TIME] = Timestamps.ts(end);
    v[DURATION] = end == null ? null : Duration.between(start, end).getSeconds();
    v[IS_LIVE] = end == null;
    v[CHANNEL_NAME] = c.str(ch, "name", "channel");
    v[CHANNEL_TYPE] = c.term(ch, "type", "channel");
    v[LATENCY_MODE] = c.term(ch, "latencyMode", "channel");
    v[CONTAINER_FORMAT] = c.term(ch, "containerFormat", "channel");
    v[PRESET] = c.term(ch, "preset", "channel");
    v[AUTHORIZED] = c.bool(ch, "authorized", "channel");
    v[INSECURE_INGEST] = c.bool(ch, "insecureIngest", "channel");
    v[INGEST_ENDPOINT] = c.str(ch, "ingestEndpoint", "channel");
    v[PLAYBACK_URL] = c.str(ch, "playbackUrl", "channel");
    v[SRT_ENDPOINT] = c.str(ch.path("srt"), "endpoint", "channel.srt");
    v[PLAYBACK_POLICY] = c.str(ch, "playbackRestrictionPolicyArn", "channel");
    v[RECORDING_ARN] = c.str(ch, "recordingConfigurationArn", "channel");
    v[AD_ARN] = c.str(ch, "adConfigurationArn", "channel");
    JsonNode mt = ch.path("multitrackInputConfiguration");
    v[MT_ENABLED] = c.bool(mt, "enabled", "channel.multitrackInputConfiguration");
    v[MT_POLICY] = c.term(mt, "policy", "channel.multitrackInputConfiguration");
    v[MT_MAX_RES] = c.term(mt, "maximumResolution", "channel.multitrackInputConfiguration");
    v[CHANNEL_TAGS] = c.tags(ch.get("tags"), "channel.tags");

    List<Object[]> tracks = TrackParser.tracks(s, c);
    int video = 0;
    for (Object[] t : tracks) {
      if ("video".equals(t[T_MEDIA])) {
        video++;
      }
    }
    v[TRACKS] = tracks.toArray();
    v[VIDEO_COUNT] = video;
    v[AUDIO_COUNT] = tracks.size() - video;

    List<Object[]> events;
    if (streamed != null && streamed.events != null) {
      events = streamed.events;
      odd.addAll(streamed.eventOdd);
    } else {
      events = EventParser.events(s.get("truncatedEvents"), c);
    }
    v[EVENTS] = events.toArray();
    v[EVENT_COUNT] = events.size();
    v[EVENTS_TRUNCATED] = events.size() >= MAX_EVENTS;

    v[RECORDING] = RecordingParser.recording(s.get("recordingConfiguration"), c);
    v[FETCHED_AT] = Timestamps.ts(fetchedAt);
    v[DT] = LocalDate.ofInstant(start, ZoneOffset.UTC).toString();
    v[SOURCE] = source;
    v[RECORD_ID] = recordId;
    return new ParsedRecord(v, odd);
  }

  /** See {@link TrackParser#codecFamily}. */
  public static String codecFamily(String codec) {
    return TrackParser.codecFamily(codec);
  }

  private SessionParser() {}
}
