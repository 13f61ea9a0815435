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
  private final java.util.Set<String> accessKeys = ConcurrentHashMap.newKeySet();

  void record(String operation, Outcome outcome) {
    counts.computeIfAbsent(operation, k -> {
      Map<Outcome, LongAdder> m = new ConcurrentHashMap<>();
      for (Outcome o : Outcome.values()) {
        m.put(o, new LongAdder());
      }
      return m;
    }).get(outcome).increment();
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
