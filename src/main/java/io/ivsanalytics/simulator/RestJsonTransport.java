package io.ivsanalytics.simulator;

import io.ivsanalytics.simulator.IvsRequests.Request;
import io.ivsanalytics.simulator.LoopbackHttpServer.Response;
import io.ivsanalytics.simulator.SimulatedSts.AuthError;
import io.ivsanalytics.simulator.SimulatedSts.Caller;
import io.ivsanalytics.simulator.SimulatorStats.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP side of the simulator: routes {@code POST /<Operation>} (rest-json) and STS form posts,
 * resolves the caller, admits the request under the {@link QuotaBuckets quota} (429 past it), runs
 * it through the {@link FaultPlan} and the {@link IvsOperations}, and writes the answer as AWS
 * does: {@code x-amzn-RequestId} on every answer; errors with {@code x-amzn-ErrorType: <Name>} and
 * the body {@code {"exceptionMessage":"…"}} (authorization denials also {@code "Message"}).
 */
final class RestJsonTransport {
  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");
  private static final Set<String> AUTH_ERRORS =
      Set.of(
          "MissingAuthenticationTokenException",
          "UnrecognizedClientException",
          "ExpiredTokenException");

  private final SimulatorKnobs knobs;
  private final SimulatedSts sts;
  private final SimulatorStats stats;
  private final QuotaBuckets quota;
  private final FaultPlan faults;
  private final IvsOperations operations;

  RestJsonTransport(
      SimulatorKnobs knobs,
      SimulatedSts sts,
      SimulatorStats stats,
      QuotaBuckets quota,
      FaultPlan faults,
      IvsOperations operations) {
    this.knobs = knobs;
    this.sts = sts;
    this.stats = stats;
    this.quota = quota;
    this.faults = faults;
    this.operations = operations;
  }

  Response handle(LoopbackHttpServer.Request http) throws InterruptedException {
    String requestId = UUID.randomUUID().toString();
    Instant now = Instant.now();
    if (SimulatedSts.isStsRequest(http.method(), http.path(), http.header("content-type"))) {
      return handleSts(http, requestId, now);
    }
    String op = http.path().replaceFirst("^/", "");
    if (!"POST".equals(http.method()) || !IvsRequests.OPERATIONS.contains(op)) {
      stats.record("Unknown", Outcome.CLIENT_ERROR);
      return error(
          requestId,
          404,
          "UnknownOperationException",
          "Unknown operation " + http.method() + " /" + op);
    }
    recordAccessKey(http);
    Answer answer;
    try {
      Caller caller =
          sts.caller(http.header("authorization"), http.header("x-amz-security-token"), now);
      Request req = IvsRequests.parse(caller, op, http.body());
      answer = serve(req);
    } catch (AuthError e) {
      answer = new Answer(e.status, e.code, e.getMessage(), Outcome.CLIENT_ERROR);
    } catch (ApiError e) {
      answer = Answer.error(e);
    }
    stats.record(op, answer.outcome());
    if (answer == Answer.RESET) {
      return Response.RESET;
    }
    if (answer.errorType() != null) {
      return error(requestId, answer.status(), answer.errorType(), answer.body());
    }
    return response(requestId, answer.status(), "application/json", null, answer.body());
  }

  private Answer serve(Request req) throws InterruptedException {
    boolean admitted = quota.tryAcquire(req.account(), req.region(), req.op(), knobs.tps());
    stats.recordQuota(
        req.op(), req.account() + "/" + req.region(), System.currentTimeMillis(), !admitted);
    if (!admitted) {
      return Answer.error(ApiError.throttling(req.op(), req.account(), req.region()));
    }
    return faults.answer(req, operations::answer);
  }

  private Response handleSts(LoopbackHttpServer.Request http, String requestId, Instant now) {
    Map<String, String> form = SimulatedSts.form(http.body());
    String action = SimulatedSts.action(form);
    String counted = SimulatedSts.actions().contains(action) ? action : "Unknown";
    recordAccessKey(http);
    try {
      Caller caller =
          sts.caller(http.header("authorization"), http.header("x-amz-security-token"), now);
      String xml = sts.handle(form, caller, requestId, now);
      stats.record(counted, Outcome.OK);
      return response(requestId, 200, "text/xml", null, xml);
    } catch (AuthError e) {
      stats.record(counted, e.status >= 500 ? Outcome.SERVER_ERROR : Outcome.CLIENT_ERROR);
      return response(requestId, e.status, "text/xml", null, SimulatedSts.errorXml(e, requestId));
    }
  }

  private void recordAccessKey(LoopbackHttpServer.Request http) {
    String auth = http.header("authorization");
    Matcher m = auth == null ? null : CREDENTIAL.matcher(auth);
    if (m != null && m.find()) {
      stats.recordAccessKey(m.group(1));
    }
  }

  private static Response error(String requestId, int status, String type, String message) {
    String body =
        SessionJson.render(
            g -> {
              g.writeStartObject();
              g.writeStringField("exceptionMessage", message);
              if (status == 403 && message.startsWith("User: ") || AUTH_ERRORS.contains(type)) {
                // IAM's own denials carry "Message", which the SDKs and the CLI show
                g.writeStringField("Message", message);
              }
              g.writeEndObject();
            });
    return response(requestId, status, "application/json", type, body);
  }

  private static Response response(
      String requestId, int status, String contentType, String errorType, String body) {
    List<String[]> headers = new ArrayList<>(3);
    headers.add(new String[] {"Content-Type", contentType});
    headers.add(new String[] {"x-amzn-RequestId", requestId});
    if (errorType != null) {
      headers.add(new String[] {"x-amzn-ErrorType", errorType});
    }
    return new Response(status, headers, body.getBytes(StandardCharsets.UTF_8));
  }
}
