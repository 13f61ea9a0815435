package io.ivsanalytics.reports;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * A set of sessions, each kept as the 128-bit MurmurHash3 of its {@code (channel_arn, stream_id)}:
 * the mergeable partial behind the reports' distinct session counts (SQL {@code count(DISTINCT
 * channel_arn, stream_id)}, which skips a pair with a null). 16 bytes per session; two different
 * sessions share a key with a probability below 10^-24 even among ten million sessions.
 */
final class SessionKeys implements Serializable {
  private static final long serialVersionUID = 1L;

  private transient long[] high;
  private transient long[] low;
  private transient boolean[] used;
  private transient int size;

  SessionKeys() {
    allocate(16);
  }

  private void allocate(int capacity) {
    high = new long[capacity];
    low = new long[capacity];
    used = new boolean[capacity];
    size = 0;
  }

  /** Adds the session; a pair with a null is not a session and is skipped. */
  void add(String channelArn, String streamId) {
    if (channelArn == null || streamId == null) {
      return;
    }
    long[] h =
        MurmurHash3.hash128x64(
            (channelArn.length() + ":" + channelArn + streamId).getBytes(StandardCharsets.UTF_8));
    add(h[0], h[1]);
  }

  private void add(long h, long l) {
    if ((size + 1) * 2 > used.length) {
      grow();
    }
    int mask = used.length - 1;
    int i = (int) (l ^ (l >>> 32)) & mask;
    while (used[i]) {
      if (high[i] == h && low[i] == l) {
        return;
      }
      i = (i + 1) & mask;
    }
    used[i] = true;
    high[i] = h;
    low[i] = l;
    size++;
  }

  void addAll(SessionKeys other) {
    for (int i = 0; i < other.used.length; i++) {
      if (other.used[i]) {
        add(other.high[i], other.low[i]);
      }
    }
  }

  /** Distinct sessions added. */
  long size() {
    return size;
  }

  private void grow() {
    long[] h = high;
    long[] l = low;
    boolean[] u = used;
    allocate(u.length * 2);
    for (int i = 0; i < u.length; i++) {
      if (u[i]) {
        add(h[i], l[i]);
      }
    }
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.writeInt(size);
    for (int i = 0; i < used.length; i++) {
      if (used[i]) {
        out.writeLong(high[i]);
        out.writeLong(low[i]);
      }
    }
  }

  private void readObject(ObjectInputStream in) throws IOException {
    int n = in.readInt();
    allocate(Math.max(16, Integer.highestOneBit(Math.max(1, n)) * 4));
    for (int i = 0; i < n; i++) {
      add(in.readLong(), in.readLong());
    }
  }
}
