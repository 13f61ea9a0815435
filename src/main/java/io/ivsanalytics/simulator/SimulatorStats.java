package io.ivsanalytics.simulator;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Live request counters of an {@link IvsSimulator}, per operation (e.g. "GetStreamSession"). */
public final class SimulatorStats {
  /** What happened to one request. */
  public enum Outcome {
    /** 200 with a well-formed body. */
    OK,
    /** 429 ThrottlingException. */
    THROTTLED,
    /** 500 InternalServerException (injected). */
    SERVER_ERROR,
    /** 400, 403, 404, 409. */
    CLIENT_ERROR,
    /** Connection closed without a response (injected). */
    RESET,
    /** 200 with a truncated JSON body (injected). */
    MALFORMED
  }

  private final Map<String, Map<Outcome, LongAdder>> counts = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> slow = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Window>> windows = new ConcurrentHashMap<>();

  /**
   * The requests of one operation against one (account, region) quota that reached the quota check:
   * how many, how many were throttled, and the first and last arrival (epoch ms).
   */
  public record QuotaWindow(long requests, long throttled, long firstMillis, long lastMillis) {
    /** Arrival rate between the first and the last request: (requests - 1) / span. */
    public double requestsPerSecond() {
      long span = lastMillis - firstMillis;
      return span <= 0 ? 0 : (requests - 1) * 1000.0 / span;
    }
  }

  private static final class Window {
    private long requests;
    private long throttled;
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;

    synchronized void add(long nowMillis, boolean wasThrottled) {
      requests++;
      if (wasThrottled) {
        throttled++;
      }
      first = Math.min(first, nowMillis);
      last = Math.max(last, nowMillis);
    }

    synchronized QuotaWindow snapshot() {
      return new QuotaWindow(requests, throttled, first, last);
    }
  }

  void recordQuota(String operation, String accountRegion, long nowMillis, boolean throttled) {
    windows
        .computeIfAbsent(operation, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(accountRegion, k -> new Window())
        .add(nowMillis, throttled);
  }

  /** Per {@code account/region}: the requests of {@code operation} that reached the quota check. */
  public Map<String, QuotaWindow> quotaWindows(String operation) {
    Map<String, QuotaWindow> out = new TreeMap<>();
    Map<String, Window> m = windows.get(operation);
    if (m != null) {
      m.forEach((k, w) -> out.put(k, w.snapshot()));
    }
    return out;
  }

  private final java.util.Set<String> accessKeys = ConcurrentHashMap.newKeySet();

  void record(String operation, Outcome outcome) {
    counts
        .computeIfAbsent(
            operation,
            k -> {
              Map<Outcome, LongAdder> m = new ConcurrentHashMap<>();
              for (Outcome o : Outcome.values()) {
                m.put(o, new LongAdder());
              }
              return m;
            })
        .get(outcome)
        .increment();
  }

  void recordAccessKey(String accessKeyId) {
    accessKeys.add(accessKeyId);
  }

  /** The access key ids of the signed requests received (the Credential of SigV4). */
  public java.util.Set<String> accessKeys() {
    return java.util.Set.copyOf(accessKeys);
  }

  void recordSlow(String operation) {
    slow.computeIfAbsent(operation, k -> new LongAdder()).increment();
  }

  /** Requests of {@code operation} that ended with {@code outcome}. */
  public long count(String operation, Outcome outcome) {
    Map<Outcome, LongAdder> m = counts.get(operation);
    return m == null ? 0 : m.get(outcome).sum();
  }

  /** All requests of {@code operation}, whatever the outcome. */
  public long requests(String operation) {
    Map<Outcome, LongAdder> m = counts.get(operation);
    if (m == null) {
      return 0;
    }
    long n = 0;
    for (LongAdder a : m.values()) {
      n += a.sum();
    }
    return n;
  }

  /** 429 answers of {@code operation}. */
  public long throttled(String operation) {
    return count(operation, Outcome.THROTTLED);
  }

  /** 5xx answers of {@code operation}. */
  public long serverErrors(String operation) {
    return count(operation, Outcome.SERVER_ERROR);
  }

  /** Requests of {@code operation} that were deliberately delayed by the slow-answer knob. */
  public long slow(String operation) {
    LongAdder a = slow.get(operation);
    return a == null ? 0 : a.sum();
  }

  /** All requests of all operations. */
  public long totalRequests() {
    long n = 0;
    for (String op : counts.keySet()) {
      n += requests(op);
    }
    return n;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (String op : new TreeMap<>(counts).keySet()) {
      sb.append(String.format(Locale.ROOT, "%s: requests=%d", op, requests(op)));
      for (Outcome o : Outcome.values()) {
        long c = count(op, o);
        if (c > 0) {
          sb.append(' ').append(o.name().toLowerCase(Locale.ROOT)).append('=').append(c);
        }
      }
      if (slow(op) > 0) {
        sb.append(" slow=").append(slow(op));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
