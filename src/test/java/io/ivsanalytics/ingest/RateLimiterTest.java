package io.ivsanalytics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rate limiter and backoff on a fake clock: the sleeper advances it, nothing waits. */
class RateLimiterTest {
  static final long MS = 1_000_000L;

  static final class FakeTime {
    long now = 1_000 * MS;
    final List<Long> sleeps = new ArrayList<>();

    long nanos() {
      return now;
    }

    void sleep(long nanos) {
      sleeps.add(nanos);
      now += nanos;
    }
  }

  @Test
  void spacesPermitsEvenlyWithoutBurst() throws InterruptedException {
    FakeTime t = new FakeTime();
    RateLimiter limiter = new RateLimiter(5, t::nanos, t::sleep);
    for (int i = 0; i < 11; i++) {
      limiter.acquire();
    }
    // first permit immediately, then one every 200 ms: 10 waits, 2 s for 11 calls
    assertEquals(10, t.sleeps.size());
    t.sleeps.forEach(s -> assertEquals(200 * MS, s));
    assertEquals(1_000 * MS + 2_000 * MS, t.now);
  }

  @Test
  void idleTimeGivesNoBurstCredit() throws InterruptedException {
    FakeTime t = new FakeTime();
    RateLimiter limiter = new RateLimiter(5, t::nanos, t::sleep);
    limiter.acquire();
    t.now += 10_000 * MS;
    limiter.acquire();
    limiter.acquire();
    assertEquals(List.of(200 * MS), t.sleeps);
  }

  @Test
  void slowCallsDoNotWaitAgain() throws InterruptedException {
    FakeTime t = new FakeTime();
    RateLimiter limiter = new RateLimiter(5, t::nanos, t::sleep);
    limiter.acquire();
    t.now += 300 * MS; // the call took longer than the interval
    limiter.acquire();
    assertTrue(t.sleeps.isEmpty());
  }

  @Test
  void aSlowCallPushesTheNextPermitToOneIntervalAfterItEndedLessTheQuickestRoundTrip()
      throws InterruptedException {
    FakeTime t = new FakeTime();
    RateLimiter limiter = new RateLimiter(5, t::nanos, t::sleep);
    limiter.acquire();
    t.now += 1_500 * MS; // a cold client's first call: it may have reached the server just now
    limiter.ended();
    limiter.acquire(); // one interval after it ended, less the tolerance
    t.now += 40 * MS;
    limiter.ended();
    limiter.acquire(); // the usual round trip: on the grid
    t.now += 40 * MS;
    limiter.ended();
    limiter.acquire();
    t.now += 700 * MS; // a pause: the next waits one interval after it, less the 40 ms on the way
    limiter.ended(); // and the 50 ms of tolerance
    limiter.acquire();
    assertEquals(List.of(150 * MS, 160 * MS, 160 * MS, 110 * MS), t.sleeps);
  }

  @Test
  void roundTripsThatVaryWithinAQuarterIntervalLeaveThePermitsOnTheGrid()
      throws InterruptedException {
    FakeTime t = new FakeTime();
    RateLimiter limiter = new RateLimiter(5, t::nanos, t::sleep);
    long[] took = {40, 85, 60, 90, 40, 75};
    for (int i = 0; i < 31; i++) {
      limiter.acquire();
      t.now += took[i % took.length] * MS;
      limiter.ended();
    }
    // 31 permits 200 ms apart from the start at 1 s: the last at 7 s, whatever the round trips
    assertEquals(1_000 * MS + 6_000 * MS + took[30 % took.length] * MS, t.now);
  }

  @Test
  void callsOfTheUsualDurationAreNotDelayed() throws InterruptedException {
    FakeTime t = new FakeTime();
    RateLimiter limiter = new RateLimiter(5, t::nanos, t::sleep);
    for (int i = 0; i < 11; i++) {
      limiter.acquire();
      t.now += 50 * MS;
      limiter.ended();
    }
    // every permit is on the 200 ms grid from the start at 1 s: the last at 3 s
    assertEquals(1_000 * MS + 2_000 * MS + 50 * MS, t.now);
  }

  @Test
  void staggeredStartDelaysOnlyTheFirstPermit() throws InterruptedException {
    FakeTime t = new FakeTime();
    RateLimiter limiter = new RateLimiter(2, t::nanos, t::sleep).startAfter(250 * MS);
    limiter.acquire();
    limiter.acquire();
    assertEquals(List.of(250 * MS, 500 * MS), t.sleeps);
  }

  @Test
  void throttleHalvesRateAndSuccessesRecoverIt() {
    FakeTime t = new FakeTime();
    RateLimiter limiter = new RateLimiter(4, t::nanos, t::sleep);
    limiter.onThrottle();
    assertEquals(2.0, limiter.ratePerSecond(), 1e-9);
    limiter.onThrottle();
    limiter.onThrottle();
    limiter.onThrottle();
    assertEquals(0.4, limiter.ratePerSecond(), 1e-9, "not below 10% of the target");
    for (int i = 0; i < 100; i++) {
      limiter.onSuccess();
    }
    assertEquals(4.0, limiter.ratePerSecond(), 1e-9, "never above the target");
  }

  @Test
  void throttledLimiterWaitsLonger() throws InterruptedException {
    FakeTime t = new FakeTime();
    RateLimiter limiter = new RateLimiter(5, t::nanos, t::sleep);
    limiter.acquire();
    limiter.onThrottle();
    limiter.acquire();
    limiter.acquire();
    assertEquals(List.of(200 * MS, 400 * MS), t.sleeps);
  }

  @Test
  void rejectsNonPositiveRate() {
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0, () -> 0, n -> {}));
  }

  @Test
  void backoffGrowsExponentiallyWithJitterAndCap() {
    Backoff b = new Backoff(100, 1_000);
    assertEquals(50, b.delayMillis(1, false, () -> 0.0));
    assertEquals(100, b.delayMillis(1, false, () -> 1.0));
    assertEquals(400, b.delayMillis(3, false, () -> 1.0));
    assertEquals(1_000, b.delayMillis(10, false, () -> 1.0));
    assertEquals(500, b.delayMillis(10, false, () -> 0.0));
    assertEquals(200, b.delayMillis(1, true, () -> 1.0), "throttles back off from twice the base");
  }
}
