package io.ivsanalytics.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ivsanalytics.simulator.Fleet.AudioTrack;
import io.ivsanalytics.simulator.Fleet.Channel;
import io.ivsanalytics.simulator.Fleet.Event;
import io.ivsanalytics.simulator.Fleet.RecordingConfiguration;
import io.ivsanalytics.simulator.Fleet.Session;
import io.ivsanalytics.simulator.Fleet.VideoTrack;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Renders fleet objects as IVS API JSON (field names and nesting of the botocore {@code
 * ivs/2020-07-14} shapes). The simulator and the raw-archive generator both use it, so served and
 * generated sessions are byte-for-byte the same shape.
 *
 * <p>Timestamps are ISO-8601 UTC with milliseconds and {@code Z}. Null fields are omitted. {@code
 * withSecrets} decides whether {@code channel.srt.passphrase} is written: the server returns it as
 * AWS does, the raw archive never contains it.
 */
public final class SessionJson {
  public static final JsonFactory FACTORY = new JsonFactory();
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private SessionJson() {}

  /** ISO-8601 UTC with milliseconds, e.g. {@code 2024-05-06T12:00:00.000Z}. */
  public static String time(Instant t) {
    return ISO_MILLIS.format(t);
  }

  /** The GetStreamSession response body {@code {"streamSession":{…}}}. */
  public static String getStreamSessionResponse(Channel ch, Session s, boolean withSecrets) {
    return render(
        g -> {
          g.writeStartObject();
          g.writeFieldName("streamSession");
          writeStreamSession(g, ch, s, withSecrets);
          g.writeEndObject();
        });
  }

  /** The GetChannel response body {@code {"channel":{…}}}. */
  public static String getChannelResponse(Channel ch, boolean withSecrets) {
    return render(
        g -> {
          g.writeStartObject();
          g.writeFieldName("channel");
          writeChannel(g, ch, withSecrets);
          g.writeEndObject();
        });
  }

  /** The {@code StreamSession} shape. */
  public static void writeStreamSession(JsonGenerator g, Channel ch, Session s, boolean withSecrets)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("streamId", s.streamId());
    g.writeStringField("startTime", time(s.startTime()));
    if (s.endTime() != null) {
      g.writeStringField("endTime", time(s.endTime()));
    }
    g.writeFieldName("channel");
    writeChannel(g, ch, withSecrets);
    g.writeFieldName("ingestConfiguration");
    g.writeStartObject();
    g.writeFieldName("video");
    writeVideo(g, s.video().get(0));
    g.writeFieldName("audio");
    writeAudio(g, s.audio().get(0));
    g.writeEndObject();
    if (!s.legacy()) {
      g.writeFieldName("ingestConfigurations");
      g.writeStartObject();
      g.writeArrayFieldStart("videoConfigurations");
      for (VideoTrack v : s.video()) {
        writeVideo(g, v);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("audioConfigurations");
      for (AudioTrack a : s.audio()) {
        writeAudio(g, a);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    if (s.withRecording() && ch.recording() != null) {
      g.writeFieldName("recordingConfiguration");
      writeRecording(g, ch.recording());
    }
    g.writeArrayFieldStart("truncatedEvents");
    for (Event e : s.events()) {
      g.writeStartObject();
      g.writeStringField("name", e.name());
      g.writeStringField("type", e.type());
      g.writeStringField("eventTime", time(e.eventTime()));
      if (e.code() != null) {
        g.writeStringField("code", e.code());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** The full {@code Channel} shape. */
  public static void writeChannel(JsonGenerator g, Channel ch, boolean withSecrets)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("arn", ch.arn());
    g.writeStringField("name", ch.name());
    g.writeStringField("latencyMode", ch.latencyMode());
    g.writeStringField("type", ch.type());
    g.writeStringField("recordingConfigurationArn", ch.recordingConfigurationArn());
    g.writeStringField("ingestEndpoint", ch.ingestEndpoint());
    g.writeStringField("playbackUrl", ch.playbackUrl());
    g.writeBooleanField("authorized", ch.authorized());
    writeTags(g, ch.tags());
    g.writeBooleanField("insecureIngest", ch.insecureIngest());
    g.writeStringField("preset", ch.preset());
    g.writeObjectFieldStart("srt");
    g.writeStringField("endpoint", ch.srtEndpoint());
    if (withSecrets) {
      g.writeStringField("passphrase", ch.srtPassphrase());
    }
    g.writeEndObject();
    g.writeStringField("playbackRestrictionPolicyArn", ch.playbackRestrictionPolicyArn());
    g.writeObjectFieldStart("multitrackInputConfiguration");
    g.writeBooleanField("enabled", ch.multitrackEnabled());
    g.writeStringField("policy", ch.multitrackPolicy());
    g.writeStringField("maximumResolution", ch.multitrackMaximumResolution());
    g.writeEndObject();
    g.writeStringField("containerFormat", ch.containerFormat());
    g.writeStringField("adConfigurationArn", ch.adConfigurationArn());
    g.writeEndObject();
  }

  /** The {@code ChannelSummary} shape (ListChannels). */
  public static void writeChannelSummary(JsonGenerator g, Channel ch) throws IOException {
    g.writeStartObject();
    g.writeStringField("arn", ch.arn());
    g.writeStringField("name", ch.name());
    g.writeStringField("latencyMode", ch.latencyMode());
    g.writeBooleanField("authorized", ch.authorized());
    g.writeStringField("recordingConfigurationArn", ch.recordingConfigurationArn());
    writeTags(g, ch.tags());
    g.writeBooleanField("insecureIngest", ch.insecureIngest());
    g.writeStringField("type", ch.type());
    g.writeStringField("preset", ch.preset());
    g.writeStringField("playbackRestrictionPolicyArn", ch.playbackRestrictionPolicyArn());
    g.writeStringField("adConfigurationArn", ch.adConfigurationArn());
    g.writeEndObject();
  }

  /** The {@code StreamSessionSummary} shape (ListStreamSessions). */
  public static void writeSessionSummary(JsonGenerator g, Session s) throws IOException {
    g.writeStartObject();
    g.writeStringField("streamId", s.streamId());
    g.writeStringField("startTime", time(s.startTime()));
    if (s.endTime() != null) {
      g.writeStringField("endTime", time(s.endTime()));
    }
    g.writeBooleanField("hasErrorEvent", s.hasErrorEvent());
    g.writeEndObject();
  }

  private static void writeVideo(JsonGenerator g, VideoTrack v) throws IOException {
    g.writeStartObject();
    boolean avc = v.codec().startsWith("avc1.");
    if (avc) {
      g.writeStringField("avcProfile", v.profile());
      g.writeStringField("avcLevel", v.level());
    }
    g.writeStringField("codec", v.codec());
    g.writeStringField("encoder", v.encoder());
    g.writeNumberField("targetBitrate", v.targetBitrate());
    g.writeNumberField("targetFramerate", v.targetFramerate());
    g.writeNumberField("videoHeight", v.videoHeight());
    g.writeNumberField("videoWidth", v.videoWidth());
    g.writeStringField("level", v.level());
    if (v.track() != null) {
      g.writeStringField("track", v.track());
    }
    g.writeStringField("profile", v.profile());
    g.writeEndObject();
  }

  private static void writeAudio(JsonGenerator g, AudioTrack a) throws IOException {
    g.writeStartObject();
    g.writeStringField("codec", a.codec());
    g.writeNumberField("targetBitrate", a.targetBitrate());
    g.writeNumberField("sampleRate", a.sampleRate());
    g.writeNumberField("channels", a.channels());
    if (a.track() != null) {
      g.writeStringField("track", a.track());
    }
    g.writeEndObject();
  }

  private static void writeRecording(JsonGenerator g, RecordingConfiguration rc)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("arn", rc.arn());
    g.writeStringField("name", rc.name());
    g.writeObjectFieldStart("destinationConfiguration");
    g.writeObjectFieldStart("s3");
    g.writeStringField("bucketName", rc.s3Bucket());
    g.writeEndObject();
    g.writeEndObject();
    g.writeStringField("state", rc.state());
    writeTags(g, rc.tags());
    g.writeObjectFieldStart("thumbnailConfiguration");
    g.writeStringField("recordingMode", rc.thumbnailRecordingMode());
    if (rc.thumbnailTargetIntervalSeconds() != null) {
      g.writeNumberField("targetIntervalSeconds", rc.thumbnailTargetIntervalSeconds());
    }
    if (rc.thumbnailResolution() != null) {
      g.writeStringField("resolution", rc.thumbnailResolution());
    }
    writeStrings(g, "storage", rc.thumbnailStorage());
    g.writeEndObject();
    g.writeNumberField("recordingReconnectWindowSeconds", rc.recordingReconnectWindowSeconds());
    g.writeObjectFieldStart("renditionConfiguration");
    g.writeStringField("renditionSelection", rc.renditionSelection());
    writeStrings(g, "renditions", rc.renditions());
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void writeTags(JsonGenerator g, Map<String, String> tags) throws IOException {
    g.writeObjectFieldStart("tags");
    for (Map.Entry<String, String> e : tags.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  private static void writeStrings(JsonGenerator g, String field, List<String> values)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  /** Writes a JSON value to a string. */
  static String render(Body body) {
    StringWriter w = new StringWriter(2048);
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** A piece of JSON output. */
  @FunctionalInterface
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }
}
