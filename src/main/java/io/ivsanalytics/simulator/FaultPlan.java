package io.ivsanalytics.simulator;

import io.ivsanalytics.simulator.IvsRequests.Request;
import io.ivsanalytics.simulator.SimulatorStats.Outcome;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The faults of admitted requests, in this order, each with its own probability: 429
 * ThrottlingException (whatever the quota), added latency, connection reset (closed without a
 * response), 500 InternalServerException, slow answer (sleeps {@link SimulatorKnobs#slowMs()}
 * first), malformed 200 (truncated JSON). The draw is a hash of the seed, the operation, the
 * resource in the body and the client's attempt number ({@code amz-sdk-request: attempt=N},
 * sent by the AWS SDKs, the CLI and boto3; without it, a per-resource request counter), so runs
 * are reproducible.
 */
final class FaultPlan {
  private static final Pattern ATTEMPT = Pattern.compile("attempt=(\\d+)");

  private final long seed;
  private final SimulatorKnobs knobs;
  private final SimulatorStats stats;
  private final Map<String, AtomicInteger> attemptsSeen = new ConcurrentHashMap<>();

  FaultPlan(long seed, SimulatorKnobs knobs, SimulatorStats stats) {
    this.seed = seed;
    this.knobs = knobs;
    this.stats = stats;
  }

  /**
   * Answers {@code req} through the fault plan: a fault, or the operation's JSON (perhaps
   * truncated). An {@link ApiError} of the operation passes through.
   */
  Answer answer(LoopbackHttpServer.Request http, Request req, Function<Request, String> operation)
      throws InterruptedException {
    int attempt = attempt(http, req);
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
      return Answer.error(new ApiError(500, "InternalServerException", "Unexpected error during processing of request."));
    }
    if (draw(req, attempt, "slow") < knobs.slowRate()) {
      stats.recordSlow(req.op());
      Thread.sleep(knobs.slowMs());
    }
    String json = operation.apply(req);
    boolean malformed = draw(req, attempt, "malformed") < knobs.malformedRate();
    return malformed ? new Answer(200, null, json.substring(0, json.length() / 2), Outcome.MALFORMED) : Answer.ok(json);
  }

  private int attempt(LoopbackHttpServer.Request http, Request req) {
    String header = http.header("amz-sdk-request");
    if (header != null) {
      Matcher m = ATTEMPT.matcher(header);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    return attemptsSeen.computeIfAbsent(req.op() + "|" + req.resource(), k -> new AtomicInteger()).incrementAndGet();
  }

  /** A reproducible number in [0, 1) for one fault kind of one attempt of one request. */
  private double draw(Request req, int attempt, String kind) {
    long h = FleetGenerator.mix(seed, req.op() + "|" + req.resource() + "|" + kind, attempt);
    return (h >>> 11) * 0x1.0p-53;
  }
}
