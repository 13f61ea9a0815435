package io.ivsanalytics.ingest;

import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The retry loop around one API operation (SDK retries are off, so every attempt is counted here):
 * each attempt waits for a rate-limiter permit; throttles slow the limiter and back off; 5xx,
 * timeouts, connection errors and malformed bodies are retried with backoff up to {@code
 * maxAttempts} and within {@code deadlineMillis}; other 4xx fail at once.
 */
public final class RetryingCaller {
  private final RateLimiter limiter;
  private final Backoff backoff;
  private final int maxAttempts;
  private final long deadlineMillis;
  private final LongSupplier millisClock;
  private final Sleeper sleeper;
  private final DoubleSupplier random;

  public RetryingCaller(
      RateLimiter limiter,
      Backoff backoff,
      int maxAttempts,
      long deadlineMillis,
      LongSupplier millisClock,
      Sleeper sleeper,
      DoubleSupplier random) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts must be >= 1, got " + maxAttempts);
    }
    this.limiter = limiter;
    this.backoff = backoff;
    this.maxAttempts = maxAttempts;
    this.deadlineMillis = deadlineMillis;
    this.millisClock = millisClock;
    this.sleeper = sleeper;
    this.random = random;
  }

  /** The outcome of one operation: a value or the last failure, with exact counts. */
  public record Result<T>(
      T value,
      CallFailure failure,
      int attempts,
      int throttles,
      long startedMillis,
      long endedMillis) {
    public boolean ok() {
      return failure == null;
    }

    /** Every attempt is one HTTP call. */
    public int calls() {
      return attempts;
    }

    public int retries() {
      return attempts - 1;
    }
  }

  public <T> Result<T> call(Callable<T> op) throws InterruptedException {
    long started = millisClock.getAsLong();
    int attempts = 0;
    int throttles = 0;
    while (true) {
      limiter.acquire();
      attempts++;
      CallFailure failure;
      try {
        T value;
        try {
          value = op.call();
        } finally {
          limiter.ended();
        }
        limiter.onSuccess();
        return new Result<>(value, null, attempts, throttles, started, millisClock.getAsLong());
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException("interrupted during " + e);
        }
        failure = CallFailure.classify(e);
      }
      if (failure.throttle()) {
        throttles++;
        limiter.onThrottle();
      }
      long now = millisClock.getAsLong();
      if (!failure.retryable() || attempts >= maxAttempts || now - started >= deadlineMillis) {
        return new Result<>(null, failure, attempts, throttles, started, now);
      }
      sleeper.sleepNanos(backoff.delayMillis(attempts, failure.throttle(), random) * 1_000_000L);
    }
  }
}
