package io.ivsanalytics.simulator;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A generated set of IVS channels and their stream sessions, the data the simulator serves.
 *
 * <p>Channels are ordered by (account, region, ARN); each channel's sessions are ordered most
 * recent first, as ListStreamSessions returns them. The values mirror the IVS API shapes (botocore
 * {@code ivs/2020-07-14}): a field that is null is omitted from the JSON.
 */
public final class Fleet {
  private final List<Channel> channels;
  private final Map<String, Channel> byArn;

  Fleet(List<Channel> channels) {
    this.channels = List.copyOf(channels);
    Map<String, Channel> m = new LinkedHashMap<>();
    for (Channel c : this.channels) {
      m.put(c.arn(), c);
    }
    this.byArn = Collections.unmodifiableMap(m);
  }

  /** Every channel, ordered by account, region and ARN. */
  public List<Channel> channels() {
    return channels;
  }

  /** The channel with this ARN, or null. */
  public Channel channel(String arn) {
    return byArn.get(arn);
  }

  /** The channels of one account in one region, ordered by ARN. */
  public List<Channel> channels(String accountId, String region) {
    return channels.stream()
        .filter(c -> c.accountId().equals(accountId) && c.region().equals(region))
        .toList();
  }

  /** Total number of stream sessions over all channels. */
  public long sessionCount() {
    long n = 0;
    for (Channel c : channels) {
      n += c.sessions().size();
    }
    return n;
  }

  /**
   * Writes an ids file for the fetch stage: CSV (UTF-8, header {@code channel_arn,stream_id}), one
   * row per channel with a blank stream id ("every session in the window"), or, with {@code
   * perSession}, one row per stream session. Returns the number of rows.
   */
  public long writeIdsFile(Path file, boolean perSession) throws IOException {
    long rows = 0;
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        CSVPrinter csv =
            CSVFormat.RFC4180.builder().setHeader("channel_arn", "stream_id").get().print(w)) {
      for (Channel c : channels) {
        if (perSession) {
          for (Session s : c.sessions()) {
            csv.printRecord(c.arn(), s.streamId());
            rows++;
          }
        } else {
          csv.printRecord(c.arn(), "");
          rows++;
        }
      }
    }
    return rows;
  }

  /** A channel's configuration (the API's {@code Channel} shape) plus its stream sessions. */
  public record Channel(
      String arn,
      String accountId,
      String region,
      String channelId,
      String name,
      String type,
      String latencyMode,
      String containerFormat,
      String preset,
      boolean authorized,
      boolean insecureIngest,
      String ingestEndpoint,
      String playbackUrl,
      String srtEndpoint,
      String srtPassphrase,
      String playbackRestrictionPolicyArn,
      String adConfigurationArn,
      boolean multitrackEnabled,
      String multitrackPolicy,
      String multitrackMaximumResolution,
      Map<String, String> tags,
      RecordingConfiguration recording,
      List<Session> sessions) {

    /** {@code recordingConfigurationArn} as the API returns it: empty string when none. */
    public String recordingConfigurationArn() {
      return recording == null ? "" : recording.arn();
    }

    /** The session with this stream id, or null. */
    public Session session(String streamId) {
      for (Session s : sessions) {
        if (s.streamId().equals(streamId)) {
          return s;
        }
      }
      return null;
    }

    Channel withSessions(List<Session> s) {
      return new Channel(
          arn,
          accountId,
          region,
          channelId,
          name,
          type,
          latencyMode,
          containerFormat,
          preset,
          authorized,
          insecureIngest,
          ingestEndpoint,
          playbackUrl,
          srtEndpoint,
          srtPassphrase,
          playbackRestrictionPolicyArn,
          adConfigurationArn,
          multitrackEnabled,
          multitrackPolicy,
          multitrackMaximumResolution,
          tags,
          recording,
          List.copyOf(s));
    }
  }

  /** The API's {@code RecordingConfiguration} shape. */
  public record RecordingConfiguration(
      String arn,
      String name,
      String s3Bucket,
      String state,
      Map<String, String> tags,
      String thumbnailRecordingMode,
      Long thumbnailTargetIntervalSeconds,
      String thumbnailResolution,
      List<String> thumbnailStorage,
      String renditionSelection,
      List<String> renditions,
      int recordingReconnectWindowSeconds) {}

  /**
   * One stream session. {@code endTime} null = live. {@code legacy} sessions predate multitrack and
   * carry only the deprecated {@code ingestConfiguration}; the others carry both shapes, the
   * deprecated one describing track 0.
   */
  public record Session(
      String streamId,
      Instant startTime,
      Instant endTime,
      boolean legacy,
      boolean withRecording,
      List<VideoTrack> video,
      List<AudioTrack> audio,
      List<Event> events) {

    /** ListStreamSessions' {@code hasErrorEvent}: a takeover failure or a starvation. */
    public boolean hasErrorEvent() {
      for (Event e : events) {
        if (e.code() != null || e.name().startsWith("Starvation")) {
          return true;
        }
      }
      return false;
    }
  }

  /** The API's {@code VideoConfiguration} shape. */
  public record VideoTrack(
      String track,
      String codec,
      String encoder,
      String profile,
      String level,
      long targetBitrate,
      long targetFramerate,
      long videoWidth,
      long videoHeight) {}

  /** The API's {@code AudioConfiguration} shape. */
  public record AudioTrack(
      String track, String codec, long targetBitrate, long sampleRate, long channels) {}

  /** The API's {@code StreamEvent} shape; {@code code} null when the event has none. */
  public record Event(String name, String type, Instant eventTime, String code) {}
}
