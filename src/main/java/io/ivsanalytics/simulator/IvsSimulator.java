package io.ivsanalytics.simulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivsanalytics.model.IvsArn;
import io.ivsanalytics.simulator.Fleet.Channel;
import io.ivsanalytics.simulator.Fleet.Session;
import io.ivsanalytics.simulator.LoopbackHttpServer.Response;
import io.ivsanalytics.simulator.SimulatedSts.AuthError;
import io.ivsanalytics.simulator.SimulatedSts.Caller;
import io.ivsanalytics.simulator.SimulatorStats.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Amazon IVS API simulator on loopback: the five read operations the job uses, over the same
 * rest-json wire protocol as IVS, so the AWS SDK, the AWS CLI and boto3 talk to it unchanged.
 *
 * <pre>{@code
 * try (IvsSimulator sim = IvsSimulator.start(SimulatorConfig.builder().seed(7).build())) {
 *   URI endpoint = sim.endpoint();            // http://127.0.0.1:PORT
 *   Fleet fleet = sim.fleet();                // expected channels and stream sessions
 *   sim.config().serverErrorRate(0.1);        // knobs change while it runs
 *   long throttled = sim.stats().throttled("GetStreamSession");
 * }
 * }</pre>
 *
 * <p>Operations: {@code POST /GetStreamSession}, {@code /ListStreamSessions} (most recent
 * first), {@code /ListChannels}, {@code /BatchGetChannel}, {@code /GetChannel}. Validation
 * failures (bad ARN or stream id, maxResults outside 1-100, missing field, invalid nextToken)
 * answer 400 ValidationException; unknown channels and streams 404 ResourceNotFoundException; ids
 * in {@link SimulatorConfig#forbiddenIds()} 403 AccessDeniedException. Errors carry the header
 * {@code x-amzn-ErrorType: <Name>} and the body {@code {"exceptionMessage":"…"}} (authorization
 * denials also {@code "Message"}, as IAM sends them); every answer
 * has {@code x-amzn-RequestId}.
 *
 * <p>Ownership, as in AWS: every request is made by the account of its SigV4 access key id (see
 * {@link SimulatedSts}: a key with a 12-digit account id inside, e.g. {@code AKIA111122223333};
 * temporary {@code ASIA…} keys from AssumeRole, with their session token; any other key is the
 * first configured account). A channel ARN of another account answers 403 AccessDeniedException
 * ("User: … is not authorized to perform: ivs:GetStreamSession on resource: …"); ListChannels
 * lists only the caller's channels in the signed region. Unsigned requests, unknown or expired
 * temporary keys and missing session tokens are refused with 403 as AWS does. Signatures
 * themselves are not checked.
 *
 * <p>STS on the same port: {@code POST /} with a form body {@code Action=AssumeRole&…} (or
 * {@code GetCallerIdentity}) answers as AWS STS does, in XML; see {@link SimulatedSts}.
 *
 * <p>Quota: a token bucket per (account, region, operation) at {@link SimulatorConfig#tps()}
 * requests per second, capacity one second's worth; past it, 429 ThrottlingException. The
 * account and region come from the ARN in the body (GetStreamSession, ListStreamSessions,
 * GetChannel), else from the caller and the region of the SigV4 credential scope ({@code
 * Credential=AKID/date/REGION/ivs/aws4_request}).
 *
 * <p>Faults, in this order, each with its own probability: 429 ThrottlingException (whatever the
 * quota), connection reset (closed without a
 * response), 500 InternalServerException, slow answer (sleeps {@link SimulatorConfig#slowMs()}
 * first), malformed 200 (truncated JSON). The draw is a hash of the seed, the operation, the
 * resource in the body and the client's attempt number ({@code amz-sdk-request: attempt=N},
 * sent by the AWS SDKs, the CLI and boto3; without it, a per-resource request counter), so runs
 * are reproducible.
 *
 * <p>The server binds 127.0.0.1 only; see {@link LoopbackHttpServer}.
 */
public final class IvsSimulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IvsSimulator.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CHANNEL_ARN = Pattern.compile("arn:aws:ivs:[a-z0-9-]+:[0-9]+:channel/[a-zA-Z0-9-]+");
  private static final Pattern STREAM_ID = Pattern.compile("st-[a-zA-Z0-9]{23}");
  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");
  private static final Pattern ATTEMPT = Pattern.compile("attempt=(\\d+)");
  private static final Set<String> AUTH_ERRORS =
      Set.of("MissingAuthenticationTokenException", "UnrecognizedClientException", "ExpiredTokenException");
  static final Set<String> OPERATIONS =
      Set.of("GetStreamSession", "ListStreamSessions", "ListChannels", "BatchGetChannel", "GetChannel");

  private final SimulatorConfig config;
  private final Fleet fleet;
  private final LoopbackHttpServer server;
  private final SimulatedSts sts;
  private final SimulatorStats stats = new SimulatorStats();
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> attemptsSeen = new ConcurrentHashMap<>();

  private IvsSimulator(SimulatorConfig config, Fleet fleet) throws IOException {
    this.config = config;
    this.fleet = fleet;
    this.sts = new SimulatedSts(config);
    this.server = new LoopbackHttpServer(config.port(), 512, this::handle);
  }

  /** Generates the fleet of {@code config} and starts serving it on 127.0.0.1. */
  public static IvsSimulator start(SimulatorConfig config) {
    Fleet fleet = FleetGenerator.generate(config);
    try {
      IvsSimulator sim = new IvsSimulator(config, fleet);
      LOG.info("IVS simulator on {}: {} channels, {} sessions", sim.endpoint(), fleet.channels().size(),
          fleet.sessionCount());
      return sim;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the IVS simulator to 127.0.0.1:" + config.port(), e);
    }
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + address().getPort());
  }

  /** The bound socket address (always the loopback address). */
  public InetSocketAddress address() {
    return server.address();
  }

  /** The served channels and sessions. */
  public Fleet fleet() {
    return fleet;
  }

  /** The live configuration: its knob setters take effect on the next request. */
  public SimulatorConfig config() {
    return config;
  }

  /** Live request counters. */
  public SimulatorStats stats() {
    return stats;
  }

  /** Session tokens of every credential AssumeRole has issued so far. */
  public Set<String> issuedSessionTokens() {
    return sts.issuedSessionTokens();
  }

  /** Secret access keys of every credential AssumeRole has issued so far. */
  public Set<String> issuedSecretKeys() {
    return sts.issuedSecretKeys();
  }

  /** Number of credentials AssumeRole has issued so far. */
  public int assumeRoleCount() {
    return sts.issuedCount();
  }

  @Override
  public void close() {
    server.close();
  }

  private Response handle(LoopbackHttpServer.Request http) throws InterruptedException {
    String requestId = UUID.randomUUID().toString();
    Instant now = Instant.now();
    if (SimulatedSts.isStsRequest(http.method(), http.path(), http.header("content-type"))) {
      return handleSts(http, requestId, now);
    }
    String op = http.path().replaceFirst("^/", "");
    if (!"POST".equals(http.method()) || !OPERATIONS.contains(op)) {
      stats.record("Unknown", Outcome.CLIENT_ERROR);
      return error(requestId, 404, "UnknownOperationException", "Unknown operation " + http.method() + " /" + op);
    }
    recordAccessKey(http);
    Answer answer;
    try {
      Caller caller = sts.caller(http.header("authorization"), http.header("x-amz-security-token"), now);
      Request req = parse(caller, op, http.body());
      answer = serve(http, req);
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

  private Response handleSts(LoopbackHttpServer.Request http, String requestId, Instant now) {
    Map<String, String> form = SimulatedSts.form(http.body());
    String action = SimulatedSts.action(form);
    String counted = SimulatedSts.actions().contains(action) ? action : "Unknown";
    recordAccessKey(http);
    try {
      Caller caller = sts.caller(http.header("authorization"), http.header("x-amz-security-token"), now);
      String xml = sts.handle(form, caller, requestId, now);
      stats.record(counted, Outcome.OK);
      return response(requestId, 200, "text/xml", null, xml);
    } catch (AuthError e) {
      stats.record(counted, e.status >= 500 ? Outcome.SERVER_ERROR : Outcome.CLIENT_ERROR);
      return response(requestId, e.status, "text/xml", null, SimulatedSts.errorXml(e, requestId));
    }
  }

  /** The parsed, validated request: where it goes and what it names. */
  private record Request(String op, JsonNode body, String account, String region, String resource, Caller caller) {}

  private Request parse(Caller caller, String op, byte[] raw) {
    JsonNode body;
    try {
      body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
    } catch (IOException e) {
      throw new ApiError(400, "ValidationException", "request body is not valid JSON");
    }
    if (body == null || !body.isObject()) {
      throw new ApiError(400, "ValidationException", "request body must be a JSON object");
    }
    switch (op) {
      case "GetStreamSession" -> {
        IvsArn arn = channelArn(body, "channelArn");
        String streamId = optionalString(body, "streamId");
        if (streamId != null && !STREAM_ID.matcher(streamId).matches()) {
          throw new ApiError(400, "ValidationException",
              "1 validation error detected: Value '" + streamId + "' at 'streamId' failed to satisfy constraint: "
                  + "Member must satisfy regular expression pattern: st-[a-zA-Z0-9]+ and have length 26");
        }
        requireOwner(caller, op, arn);
        return new Request(op, body, arn.accountId(), arn.region(), arn.format() + "|" + streamId, caller);
      }
      case "ListStreamSessions" -> {
        IvsArn arn = channelArn(body, "channelArn");
        maxResults(body);
        requireOwner(caller, op, arn);
        return new Request(op, body, arn.accountId(), arn.region(), arn.format() + "|" + optionalString(body, "nextToken"),
            caller);
      }
      case "GetChannel" -> {
        IvsArn arn = channelArn(body, "arn");
        requireOwner(caller, op, arn);
        return new Request(op, body, arn.accountId(), arn.region(), arn.format(), caller);
      }
      case "ListChannels" -> {
        maxResults(body);
        optionalString(body, "filterByName");
        return new Request(op, body, caller.account(), caller.region(),
            caller.account() + "/" + caller.region() + "|" + optionalString(body, "nextToken"), caller);
      }
      case "BatchGetChannel" -> {
        JsonNode arns = body.get("arns");
        if (arns == null || !arns.isArray()) {
          throw new ApiError(400, "ValidationException", "1 validation error detected: Value null at 'arns' failed to satisfy constraint: Member must not be null");
        }
        if (arns.size() < 1 || arns.size() > 50) {
          throw new ApiError(400, "ValidationException",
              "1 validation error detected: Value at 'arns' failed to satisfy constraint: Member must have length between 1 and 50 (got " + arns.size() + ")");
        }
        for (JsonNode a : arns) {
          if (!a.isTextual() || !CHANNEL_ARN.matcher(a.asText()).matches() || a.asText().length() > 128) {
            throw new ApiError(400, "ValidationException",
                "1 validation error detected: Value '" + a.asText() + "' at 'arns' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: " + CHANNEL_ARN.pattern());
          }
        }
        return new Request(op, body, caller.account(), caller.region(), arns.toString(), caller);
      }
      default -> throw new IllegalStateException(op);
    }
  }

  /** 403 as AWS words it when the caller's account does not own the channel. */
  private static void requireOwner(Caller caller, String op, IvsArn arn) {
    if (!caller.account().equals(arn.accountId())) {
      throw new ApiError(403, "AccessDeniedException", notAuthorized(caller, op, arn.format()));
    }
  }

  private static String notAuthorized(Caller caller, String op, String resource) {
    return "User: " + caller.principalArn() + " is not authorized to perform: ivs:" + op + " on resource: " + resource;
  }

  private Answer serve(LoopbackHttpServer.Request ex, Request req) throws InterruptedException {
    String bucketKey = req.account() + "/" + req.region() + "/" + req.op();
    boolean admitted = buckets.computeIfAbsent(bucketKey, k -> new TokenBucket()).tryAcquire(config.tps());
    stats.recordQuota(req.op(), req.account() + "/" + req.region(), System.currentTimeMillis(), !admitted);
    if (!admitted) {
      return Answer.error(new ApiError(429, "ThrottlingException",
          "Request was denied due to request throttling (" + req.op() + " quota for account " + req.account()
              + " in " + req.region() + ")"));
    }
    int attempt = attempt(ex, req);
    if (draw(req, attempt, "throttle") < config.throttleRate()) {
      return Answer.error(new ApiError(429, "ThrottlingException",
          "Request was denied due to request throttling (" + req.op() + " quota for account " + req.account()
              + " in " + req.region() + ")"));
    }
    long latency = config.latencyMs();
    if (config.latencyJitterMs() > 0) {
      latency += (long) (draw(req, attempt, "jitter") * (config.latencyJitterMs() + 1));
    }
    if (latency > 0) {
      Thread.sleep(latency);
    }
    if (draw(req, attempt, "reset") < config.resetRate()) {
      return Answer.RESET;
    }
    if (draw(req, attempt, "5xx") < config.serverErrorRate()) {
      return Answer.error(new ApiError(500, "InternalServerException", "Unexpected error during processing of request."));
    }
    if (draw(req, attempt, "slow") < config.slowRate()) {
      stats.recordSlow(req.op());
      Thread.sleep(config.slowMs());
    }
    String json = switch (req.op()) {
      case "GetStreamSession" -> getStreamSession(req.body());
      case "ListStreamSessions" -> listStreamSessions(req.body());
      case "GetChannel" -> getChannel(req.body());
      case "ListChannels" -> listChannels(req.body(), req.account(), req.region());
      case "BatchGetChannel" -> batchGetChannel(req.body(), req.caller());
      default -> throw new IllegalStateException(req.op());
    };
    boolean malformed = draw(req, attempt, "malformed") < config.malformedRate();
    return malformed ? new Answer(200, null, json.substring(0, json.length() / 2), Outcome.MALFORMED)
        : new Answer(200, null, json, Outcome.OK);
  }

  private String getStreamSession(JsonNode body) {
    String arn = body.get("channelArn").asText();
    String streamId = optionalString(body, "streamId");
    checkForbidden(arn, streamId);
    Channel ch = channelOr404(arn);
    Session s;
    if (streamId == null) {
      s = ch.sessions().isEmpty() ? null : ch.sessions().get(0);
      if (s == null) {
        throw new ApiError(404, "ResourceNotFoundException", "Channel " + arn + " has no stream sessions");
      }
    } else {
      s = ch.session(streamId);
      if (s == null) {
        throw new ApiError(404, "ResourceNotFoundException",
            "Stream session " + streamId + " not found for channel " + arn);
      }
    }
    return SessionJson.getStreamSessionResponse(ch, s, true);
  }

  private String listStreamSessions(JsonNode body) {
    String arn = body.get("channelArn").asText();
    checkForbidden(arn, null);
    Channel ch = channelOr404(arn);
    int max = maxResults(body);
    int offset = decodeToken(body, "s", ch.channelId());
    List<Session> all = ch.sessions();
    int end = Math.min(all.size(), offset + max);
    return SessionJson.render(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("streamSessions");
      for (int i = offset; i < end; i++) {
        SessionJson.writeSessionSummary(g, all.get(i));
      }
      g.writeEndArray();
      writeToken(g, end < all.size() ? encodeToken("s", end, ch.channelId()) : null);
      g.writeEndObject();
    });
  }

  private String getChannel(JsonNode body) {
    String arn = body.get("arn").asText();
    checkForbidden(arn, null);
    return SessionJson.getChannelResponse(channelOr404(arn), true);
  }

  private String listChannels(JsonNode body, String account, String region) {
    String byName = optionalString(body, "filterByName");
    String byRecording = optionalString(body, "filterByRecordingConfigurationArn");
    String byPolicy = optionalString(body, "filterByPlaybackRestrictionPolicyArn");
    if (byName != null && byRecording != null) {
      throw new ApiError(409, "ConflictException",
          "Cannot filter by name and recording configuration ARN at the same time");
    }
    List<Channel> all = new ArrayList<>();
    for (Channel c : fleet.channels(account, region)) {
      if ((byName == null || c.name().contains(byName))
          && (byRecording == null || c.recordingConfigurationArn().equals(byRecording))
          && (byPolicy == null || c.playbackRestrictionPolicyArn().equals(byPolicy))) {
        all.add(c);
      }
    }
    int max = maxResults(body);
    int offset = decodeToken(body, "c", account + "." + region);
    int end = Math.min(all.size(), offset + max);
    return SessionJson.render(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("channels");
      for (int i = offset; i < end; i++) {
        SessionJson.writeChannelSummary(g, all.get(i));
      }
      g.writeEndArray();
      writeToken(g, end < all.size() ? encodeToken("c", end, account + "." + region) : null);
      g.writeEndObject();
    });
  }

  private String batchGetChannel(JsonNode body, Caller caller) {
    List<Channel> found = new ArrayList<>();
    List<String[]> errors = new ArrayList<>();
    for (JsonNode a : body.get("arns")) {
      String arn = a.asText();
      Channel c = fleet.channel(arn);
      IvsArn parsed = IvsArn.tryParse(arn);
      if (parsed != null && !parsed.accountId().equals(caller.account())) {
        errors.add(new String[] {arn, "AccessDeniedException", notAuthorized(caller, "BatchGetChannel", arn)});
      } else if (config.forbiddenIds().contains(arn)) {
        errors.add(new String[] {arn, "AccessDeniedException", "Access denied to " + arn});
      } else if (c == null) {
        errors.add(new String[] {arn, "ResourceNotFoundException", "Channel not found: " + arn});
      } else {
        found.add(c);
      }
    }
    return SessionJson.render(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("channels");
      for (Channel c : found) {
        SessionJson.writeChannel(g, c, true);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("errors");
      for (String[] e : errors) {
        g.writeStartObject();
        g.writeStringField("arn", e[0]);
        g.writeStringField("code", e[1]);
        g.writeStringField("message", e[2]);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  private void checkForbidden(String arn, String streamId) {
    Set<String> forbidden = config.forbiddenIds();
    if (forbidden.contains(arn) || (streamId != null && forbidden.contains(streamId))) {
      throw new ApiError(403, "AccessDeniedException",
          "User is not authorized to access " + (streamId != null && forbidden.contains(streamId) ? streamId : arn));
    }
  }

  private Channel channelOr404(String arn) {
    Channel ch = fleet.channel(arn);
    if (ch == null) {
      throw new ApiError(404, "ResourceNotFoundException", "Channel not found: " + arn);
    }
    return ch;
  }

  private static IvsArn channelArn(JsonNode body, String field) {
    String v = optionalString(body, field);
    if (v == null) {
      throw new ApiError(400, "ValidationException",
          "1 validation error detected: Value null at '" + field + "' failed to satisfy constraint: Member must not be null");
    }
    IvsArn arn = IvsArn.tryParse(v);
    if (v.length() > 128 || !CHANNEL_ARN.matcher(v).matches() || arn == null || !arn.resourceType().equals("channel")) {
      throw new ApiError(400, "ValidationException",
          "1 validation error detected: Value '" + v + "' at '" + field + "' failed to satisfy constraint: "
              + "Member must satisfy regular expression pattern: " + CHANNEL_ARN.pattern());
    }
    return arn;
  }

  private static String optionalString(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new ApiError(400, "ValidationException", "Value at '" + field + "' must be a string");
    }
    return n.asText();
  }

  private static int maxResults(JsonNode body) {
    JsonNode n = body.get("maxResults");
    if (n == null || n.isNull()) {
      return 100;
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1 || n.asInt() > 100) {
      throw new ApiError(400, "ValidationException",
          "1 validation error detected: Value '" + n + "' at 'maxResults' failed to satisfy constraint: "
              + "Member must have value between 1 and 100");
    }
    return n.asInt();
  }

  private static String encodeToken(String kind, int offset, String scope) {
    String plain = kind + ":" + offset + ":" + scope;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  private static int decodeToken(JsonNode body, String kind, String scope) {
    String token = optionalString(body, "nextToken");
    if (token == null || token.isEmpty()) {
      return 0;
    }
    try {
      String[] p = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":", 3);
      if (p.length == 3 && p[0].equals(kind) && p[2].equals(scope)) {
        int offset = Integer.parseInt(p[1]);
        if (offset >= 0) {
          return offset;
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the validation error
    }
    throw new ApiError(400, "ValidationException", "The nextToken is invalid: '" + token + "'");
  }

  private static void writeToken(JsonGenerator g, String token) throws IOException {
    if (token != null) {
      g.writeStringField("nextToken", token);
    }
  }

  private void recordAccessKey(LoopbackHttpServer.Request http) {
    String auth = http.header("authorization");
    Matcher m = auth == null ? null : CREDENTIAL.matcher(auth);
    if (m != null && m.find()) {
      stats.recordAccessKey(m.group(1));
    }
  }

  private int attempt(LoopbackHttpServer.Request ex, Request req) {
    String header = ex.header("amz-sdk-request");
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
    long h = FleetGenerator.mix(config.seed(), req.op() + "|" + req.resource() + "|" + kind, attempt);
    return (h >>> 11) * 0x1.0p-53;
  }

  private static Response error(String requestId, int status, String type, String message) {
    String body = SessionJson.render(g -> {
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

  private static Response response(String requestId, int status, String contentType, String errorType, String body) {
    List<String[]> headers = new ArrayList<>(3);
    headers.add(new String[] {"Content-Type", contentType});
    headers.add(new String[] {"x-amzn-RequestId", requestId});
    if (errorType != null) {
      headers.add(new String[] {"x-amzn-ErrorType", errorType});
    }
    return new Response(status, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  /** An API error answer. */
  static final class ApiError extends RuntimeException {
    final int status;
    final String type;

    ApiError(int status, String type, String message) {
      super(message, null, false, false);
      this.status = status;
      this.type = type;
    }
  }

  /** What to send: status, error type (null on success), body or error message, outcome. */
  private record Answer(int status, String errorType, String body, Outcome outcome) {
    static final Answer RESET = new Answer(0, null, null, Outcome.RESET);

    static Answer error(ApiError e) {
      Outcome o = e.status == 429 ? Outcome.THROTTLED : e.status >= 500 ? Outcome.SERVER_ERROR : Outcome.CLIENT_ERROR;
      return new Answer(e.status, e.type, e.getMessage(), o);
    }
  }

  /** Token bucket refilled continuously at the current TPS, capacity one second's worth. */
  private static final class TokenBucket {
    private double tokens = -1;
    private long last;

    synchronized boolean tryAcquire(double tps) {
      long now = System.nanoTime();
      double capacity = Math.max(1, tps);
      if (tokens < 0) {
        tokens = capacity;
      } else {
        tokens = Math.min(capacity, tokens + (now - last) / 1e9 * tps);
      }
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }
}
