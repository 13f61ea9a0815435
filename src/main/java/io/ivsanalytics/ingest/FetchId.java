package io.ivsanalytics.ingest;

import io.ivsanalytics.model.IvsArn;
import java.io.Serializable;

/**
 * One requested id: a channel and a stream session, or a channel alone ({@code streamId} null)
 * meaning "all sessions of the channel that start in the window".
 */
public record FetchId(String channelArn, String streamId) implements Serializable {

  public FetchId {
    IvsArn.parseChannel(channelArn);
  }

  public static FetchId channel(String channelArn) {
    return new FetchId(channelArn, null);
  }

  public boolean isChannelOnly() {
    return streamId == null;
  }

  /** The quota key, {@code account/region}. */
  public String accountRegion() {
    return IvsArn.parse(channelArn).accountRegion();
  }

  public String region() {
    return IvsArn.parse(channelArn).region();
  }

  /** A stable text key for sets and joins. */
  public String key() {
    return key(channelArn, streamId);
  }

  public static String key(String channelArn, String streamId) {
    return channelArn + "|" + (streamId == null ? "" : streamId);
  }

  @Override
  public String toString() {
    return streamId == null ? channelArn : channelArn + "," + streamId;
  }
}
