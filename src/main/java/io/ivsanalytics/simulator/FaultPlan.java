package io.ivsanalytics.simulator;

import io.ivsanalytics.simulator.IvsRequests.Request;
import io.ivsanalytics.simulator.SimulatorStats.Outcome;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The faults of admitted requests, in this order, each with its own probability: 429
 * ThrottlingException (whatever the quota), added latency, connection reset (closed without a
 * response), 500 InternalServerException, slow answer (sleeps {@link SimulatorKnobs#slowMs()}
 * first), malformed 200 (truncated JSON). The draw is a hash of the seed, the operation, the
 * resource in the body and the attempt number, so runs are reproducible.
 *
 * <p>Attempts are counted here, whatever the client says about them: the attempt number of a
 * request is how many times this operation on this resource has been asked since it last got a
 * final answer (a 200 or an error of the operation itself, such as 404 or 403, which clients do not
 * retry). Throttles, resets, 500s, slow and malformed answers are not final: the client's retry is
 * the next attempt. So every fresh call of a request meets the same plan (say, fails twice, then
 * succeeds), whether it comes from a new run, a retried Spark task that asks again for ids already
 * answered, or an SDK that retries on its own; a call cut short mid-way (a task that died between
 * two attempts) goes on where it stopped. Requests over the quota are not attempts of the plan.
 */
final class FaultPlan {
  private final long seed;
  private final SimulatorKnobs knobs;
  private final SimulatorStats stats;
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

  FaultPlan(long seed, SimulatorKnobs knobs, SimulatorStats stats) {
    this.seed = seed;
    this.knobs = knobs;
    this.stats = stats;
  }

  /**
   * Answers {@code req} through the fault plan: a fault, or the operation's JSON (perhaps
   * truncated). An {@link ApiError} of the operation passes through.
   */
  Answer answer(Request req, Function<Request, String> operation) throws InterruptedException {
    String key = req.op() + "|" + req.resource();
    int attempt = attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    if (draw(req, attempt, "throttle") < knobs.throttleRate()) {
      return Answer.error(ApiError.throttling(req.op(), req.account(), req.region()));
    }
    long latency = knobs.latencyMs();
    if (knobs.latencyJitterMs() > 0) {
      latency += (long) (draw(req, attempt, "jitter") * (knobs.latencyJitterMs() + 1));
    }
    if (latency > 0) {
      Thread.sleep(latency);
    }
    if (draw(req, attempt, "reset") < knobs.resetRate()) {
      return Answer.RESET;
    }
    if (draw(req, attempt, "5xx") < knobs.serverErrorRate()) {
      return Answer.error(
          new ApiError(
              500, "InternalServerException", "Unexpected error during processing of request."));
    }
    boolean slow = draw(req, attempt, "slow") < knobs.slowRate();
    if (slow) {
      stats.recordSlow(req.op());
      Thread.sleep(knobs.slowMs());
    }
    String json;
    try {
      json = operation.apply(req);
    } catch (ApiError e) {
      attempts.remove(key); // final: the client does not retry an error of the operation
      throw e;
    }
    if (draw(req, attempt, "malformed") < knobs.malformedRate()) {
      return new Answer(200, null, json.substring(0, json.length() / 2), Outcome.MALFORMED);
    }
    if (!slow) {
      // final; a slow answer usually reaches a client that has given up and retries
      attempts.remove(key);
    }
    return Answer.ok(json);
  }

  /** A reproducible number in [0, 1) for one fault kind of one attempt of one request. */
  private double draw(Request req, int attempt, String kind) {
    long h = FleetGenerator.mix(seed, req.op() + "|" + req.resource() + "|" + kind, attempt);
    return (h >>> 11) * 0x1.0p-53;
  }
}
