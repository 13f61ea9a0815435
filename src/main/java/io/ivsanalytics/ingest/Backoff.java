package io.ivsanalytics.ingest;

import java.io.Serializable;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: before retry n (n = 1 after the first attempt) wait a uniform
 * random time in [d/2, d], d = min(max, base * 2^(n-1)). Throttles start from twice the base.
 */
public record Backoff(long baseMillis, long maxMillis) implements Serializable {

  public Backoff {
    if (baseMillis < 0 || maxMillis < baseMillis) {
      throw new IllegalArgumentException(
          "backoff base " + baseMillis + " ms, max " + maxMillis + " ms");
    }
  }

  public long delayMillis(int retry, boolean throttled, DoubleSupplier random) {
    double base = throttled ? baseMillis * 2.0 : baseMillis;
    double d = Math.min((double) maxMillis, base * Math.pow(2, Math.max(0, retry - 1)));
    return (long) (d / 2 + random.getAsDouble() * d / 2);
  }
}
