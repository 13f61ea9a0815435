package io.ivsanalytics.ingest;

import java.util.function.LongSupplier;

/**
 * Paces one worker's calls at a fixed share of an (account, region) quota: evenly spaced permits,
 * no burst credit, so the sum over all workers never exceeds the share they were given.
 *
 * <p>On a throttle the rate halves (not below {@code minFraction} of the target); each success then
 * adds back a twentieth of the target, so it recovers after about twenty calls (AIMD).
 *
 * <p>Permits space the moments calls leave, but the quota counts them where they arrive. A call
 * that took long (a cold client's first call, a pause of the JVM, a slow network) may have reached
 * the server late, so the next permit also waits until one interval after that call {@link
 * #ended()}, less the quickest round trip seen so far (the part of any call that is spent on the
 * way) and a quarter of an interval of tolerance. Round trips that vary within that tolerance leave
 * the permits on their grid, so ordinary jitter costs no rate; a call late by more arrives at least
 * three quarters of an interval before the next, which the quota's bucket absorbs.
 */
public final class RateLimiter {
  private static final double DECREASE = 0.5;
  private static final double INCREASE_FRACTION = 0.05;

  private final double targetPerSecond;
  private final double minPerSecond;
  private final LongSupplier nanoClock;
  private final Sleeper sleeper;
  private double ratePerSecond;
  private long nextFreeNanos;
  private boolean started;
  private long permitNanos = -1;
  private long quickestCallNanos = -1;

  public RateLimiter(double targetPerSecond, LongSupplier nanoClock, Sleeper sleeper) {
    this(targetPerSecond, 0.1, nanoClock, sleeper);
  }

  public RateLimiter(
      double targetPerSecond, double minFraction, LongSupplier nanoClock, Sleeper sleeper) {
    if (!(targetPerSecond > 0)) {
      throw new IllegalArgumentException("rate must be > 0, got " + targetPerSecond);
    }
    this.targetPerSecond = targetPerSecond;
    this.minPerSecond = targetPerSecond * minFraction;
    this.ratePerSecond = targetPerSecond;
    this.nanoClock = nanoClock;
    this.sleeper = sleeper;
  }

  public static RateLimiter system(double targetPerSecond) {
    return new RateLimiter(targetPerSecond, System::nanoTime, Sleeper.SYSTEM);
  }

  /**
   * Delays the first permit by {@code nanos}: workers sharing one quota start staggered, so
   * together they call evenly spaced from the start instead of all at once.
   */
  public synchronized RateLimiter startAfter(long nanos) {
    nextFreeNanos = nanoClock.getAsLong() + nanos;
    started = true;
    return this;
  }

  /** Blocks until the next permit. */
  public void acquire() throws InterruptedException {
    long wait;
    synchronized (this) {
      long now = nanoClock.getAsLong();
      if (!started || nextFreeNanos < now) {
        nextFreeNanos = now;
        started = true;
      }
      wait = nextFreeNanos - now;
      permitNanos = Math.max(now, nextFreeNanos);
      nextFreeNanos += intervalNanos();
    }
    if (wait > 0) {
      sleeper.sleepNanos(wait);
    }
  }

  /** The call (any attempt, whatever its outcome) of the last permit has ended. */
  public synchronized void ended() {
    if (permitNanos < 0) {
      return;
    }
    long now = nanoClock.getAsLong();
    long took = Math.max(0, now - permitNanos);
    long interval = intervalNanos();
    long onTheWay = Math.min(took, Math.max(0, quickestCallNanos) + interval / 4);
    nextFreeNanos = Math.max(nextFreeNanos, now + interval - onTheWay);
    quickestCallNanos = quickestCallNanos < 0 ? took : Math.min(quickestCallNanos, took);
    permitNanos = -1;
  }

  public synchronized void onThrottle() {
    ratePerSecond = Math.max(minPerSecond, ratePerSecond * DECREASE);
  }

  public synchronized void onSuccess() {
    if (ratePerSecond < targetPerSecond) {
      ratePerSecond =
          Math.min(targetPerSecond, ratePerSecond + targetPerSecond * INCREASE_FRACTION);
    }
  }

  /** When the next permit is due ({@code nanoClock} time). */
  public synchronized long nextPermitNanos() {
    return started ? nextFreeNanos : nanoClock.getAsLong();
  }

  public synchronized double ratePerSecond() {
    return ratePerSecond;
  }

  public double targetPerSecond() {
    return targetPerSecond;
  }

  private long intervalNanos() {
    return (long) Math.ceil(1e9 / ratePerSecond);
  }
}
