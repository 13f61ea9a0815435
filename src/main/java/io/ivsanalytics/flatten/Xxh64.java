package io.ivsanalytics.flatten;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * xxHash64 of bytes with a seed, as Spark's SQL function {@code xxhash64} computes it for a string
 * column (its UTF-8 bytes, the previous column's hash as the seed, 42 for the first): {@code
 * xxhash64(a, b)} is {@code hash(b, hash(a, 42))}, and a null column leaves the hash as it is.
 * Computing it here lets tasks hash what they write with the function the lake's rows are hashed by
 * in Spark's generated code, which reads the bytes without building strings.
 */
final class Xxh64 {
  /** The seed of the first column of Spark's {@code xxhash64}. */
  static final long SPARK_SEED = 42L;

  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  /** xxHash64 of {@code b} with {@code seed}. */
  static long hash(byte[] b, long seed) {
    int length = b.length;
    int at = 0;
    long h;
    if (length >= 32) {
      long v1 = seed + P1 + P2;
      long v2 = seed + P2;
      long v3 = seed;
      long v4 = seed - P1;
      int limit = length - 32;
      do {
        v1 = round(v1, (long) LONG_LE.get(b, at));
        v2 = round(v2, (long) LONG_LE.get(b, at + 8));
        v3 = round(v3, (long) LONG_LE.get(b, at + 16));
        v4 = round(v4, (long) LONG_LE.get(b, at + 24));
        at += 32;
      } while (at <= limit);
      h =
          Long.rotateLeft(v1, 1)
              + Long.rotateLeft(v2, 7)
              + Long.rotateLeft(v3, 12)
              + Long.rotateLeft(v4, 18);
      h = merge(h, v1);
      h = merge(h, v2);
      h = merge(h, v3);
      h = merge(h, v4);
    } else {
      h = seed + P5;
    }
    h += length;
    while (at + 8 <= length) {
      h ^= round(0, (long) LONG_LE.get(b, at));
      h = Long.rotateLeft(h, 27) * P1 + P4;
      at += 8;
    }
    if (at + 4 <= length) {
      h ^= ((int) INT_LE.get(b, at) & 0xFFFFFFFFL) * P1;
      h = Long.rotateLeft(h, 23) * P2 + P3;
      at += 4;
    }
    while (at < length) {
      h ^= (b[at] & 0xFFL) * P5;
      h = Long.rotateLeft(h, 11) * P1;
      at++;
    }
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    h ^= h >>> 32;
    return h;
  }

  private static long round(long acc, long input) {
    acc += input * P2;
    acc = Long.rotateLeft(acc, 31);
    return acc * P1;
  }

  private static long merge(long h, long v) {
    h ^= round(0, v);
    return h * P1 + P4;
  }

  private Xxh64() {}
}
