package io.ivsanalytics.ingest;

import java.io.Serializable;

/** Waits; injectable so the rate limiter and retry loop are testable without wall time. */
@FunctionalInterface
public interface Sleeper extends Serializable {
  void sleepNanos(long nanos) throws InterruptedException;

  Sleeper SYSTEM =
      nanos -> {
        if (nanos > 0) {
          Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
        }
      };
}
