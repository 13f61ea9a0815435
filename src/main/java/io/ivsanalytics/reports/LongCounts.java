package io.ivsanalytics.reports;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;

/**
 * How often each value occurs (a histogram of exact values), as a primitive open-addressing map:
 * the mergeable partial behind the reports' exact percentiles and maxima. Null values are not
 * counted, as SQL aggregates skip them.
 */
final class LongCounts implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long FREE = Long.MIN_VALUE;

  private transient long[] values;
  private transient long[] counts;
  private transient int size;
  private transient long total;

  /** The counted values in order with their counts, kept until the next add. */
  private transient long[][] sorted;

  LongCounts() {
    allocate(16);
  }

  private void allocate(int capacity) {
    values = new long[capacity];
    counts = new long[capacity];
    Arrays.fill(values, FREE);
    size = 0;
  }

  /** Counts one occurrence of {@code value}; a null is skipped. */
  void add(Long value) {
    if (value != null) {
      add(value, 1);
    }
  }

  void add(long value, long count) {
    if (value == FREE) {
      throw new IllegalArgumentException("value " + value + " cannot be counted");
    }
    if ((size + 1) * 2 > values.length) {
      grow();
    }
    int mask = values.length - 1;
    int i = mix(value) & mask;
    while (values[i] != FREE && values[i] != value) {
      i = (i + 1) & mask;
    }
    if (values[i] == FREE) {
      values[i] = value;
      size++;
    }
    counts[i] += count;
    total += count;
    sorted = null;
  }

  void addAll(LongCounts other) {
    for (int i = 0; i < other.values.length; i++) {
      if (other.values[i] != FREE) {
        add(other.values[i], other.counts[i]);
      }
    }
  }

  /** Values counted (not distinct). */
  long total() {
    return total;
  }

  /** The largest value counted, or null when none was. */
  Long max() {
    Long max = null;
    for (long v : values) {
      if (v != FREE && (max == null || v > max)) {
        max = v;
      }
    }
    return max;
  }

  /**
   * Exact nearest-rank percentile, SQL {@code percentile_disc(p)}: the smallest counted value v
   * such that at least a fraction {@code p} of the counted values are {@code <= v}; null when
   * nothing was counted.
   */
  Long percentileDisc(double p) {
    if (total == 0) {
      return null;
    }
    long[][] sorted = sorted();
    long rank = Math.max(1, (long) Math.ceil(p * total));
    long seen = 0;
    for (long[] vc : sorted) {
      seen += vc[1];
      if (seen >= rank) {
        return vc[0];
      }
    }
    return sorted[sorted.length - 1][0];
  }

  private long[][] sorted() {
    if (sorted != null) {
      return sorted;
    }
    long[][] out = new long[size][];
    int n = 0;
    for (int i = 0; i < values.length; i++) {
      if (values[i] != FREE) {
        out[n++] = new long[] {values[i], counts[i]};
      }
    }
    Arrays.sort(out, (a, b) -> Long.compare(a[0], b[0]));
    sorted = out;
    return out;
  }

  private void grow() {
    long[] oldValues = values;
    long[] oldCounts = counts;
    long oldTotal = total;
    allocate(oldValues.length * 2);
    total = 0;
    for (int i = 0; i < oldValues.length; i++) {
      if (oldValues[i] != FREE) {
        add(oldValues[i], oldCounts[i]);
      }
    }
    total = oldTotal;
  }

  private static int mix(long v) {
    long h = v * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.writeInt(size);
    for (int i = 0; i < values.length; i++) {
      if (values[i] != FREE) {
        out.writeLong(values[i]);
        out.writeLong(counts[i]);
      }
    }
  }

  private void readObject(ObjectInputStream in) throws IOException {
    int n = in.readInt();
    allocate(Math.max(16, Integer.highestOneBit(Math.max(1, n)) * 4));
    total = 0;
    for (int i = 0; i < n; i++) {
      add(in.readLong(), in.readLong());
    }
  }
}
