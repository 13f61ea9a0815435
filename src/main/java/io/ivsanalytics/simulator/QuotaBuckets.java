package io.ivsanalytics.simulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The IVS request quota: a token bucket per (account, region, operation), refilled continuously at
 * the current TPS, capacity one second's worth (at least one request).
 */
final class QuotaBuckets {
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  /** Takes one token from the bucket of (account, region, op); false when it is empty. */
  boolean tryAcquire(String account, String region, String op, double tps) {
    return buckets
        .computeIfAbsent(account + "/" + region + "/" + op, k -> new TokenBucket())
        .tryAcquire(tps);
  }

  private static final class TokenBucket {
    private double tokens = -1;
    private long last;

    synchronized boolean tryAcquire(double tps) {
      long now = System.nanoTime();
      double capacity = Math.max(1, tps);
      if (tokens < 0) {
        tokens = capacity;
      } else {
        tokens = Math.min(capacity, tokens + (now - last) / 1e9 * tps);
      }
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }
}
