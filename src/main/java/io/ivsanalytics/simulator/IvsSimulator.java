package io.ivsanalytics.simulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ivsanalytics.model.IvsArn;
import io.ivsanalytics.simulator.Fleet.Channel;
import io.ivsanalytics.simulator.Fleet.Session;
import io.ivsanalytics.simulator.SimulatorStats.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * {@code x-amzn-ErrorType: <Name>} and the body {@code {"exceptionMessage":"…"}}; every answer
 * has {@code x-amzn-RequestId}.
 *
 * <p>Quota: a token bucket per (account, region, operation) at {@link SimulatorConfig#tps()}
 * requests per second, capacity one second's worth; past it, 429 ThrottlingException. The
 * account and region come from the ARN in the body (GetStreamSession, ListStreamSessions,
 * GetChannel). For ListChannels and BatchGetChannel they come from the SigV4 {@code
 * Authorization} header: the region from the credential scope ({@code
 * Credential=AKID/date/REGION/ivs/aws4_request}), the account from {@link
 * SimulatorConfig#accessKeyAccounts()}, else the first configured account whose 12-digit id
 * occurs in the access key id (e.g. {@code AKIA111122223333}), else the first configured account.
 * Signatures are not checked.
 *
 * <p>Faults, in this order, each with its own probability: 429 ThrottlingException (whatever the
 * quota), connection reset (closed without a
 * response), 500 InternalServerException, slow answer (sleeps {@link SimulatorConfig#slowMs()}
 * first), malformed 200 (truncated JSON). The draw is a hash of the seed, the operation, the
 * resource in the body and the client's attempt number ({@code amz-sdk-request: attempt=N},
 * sent by the AWS SDKs, the CLI and boto3; without it, a per-resource request counter), so runs
 * are reproducible.
 *
 * <p>The server binds 127.0.0.1 only and serves requests from a pool of {@link
 * SimulatorConfig#threads()} threads.
 */
public final class IvsSimulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IvsSimulator.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CHANNEL_ARN = Pattern.compile("arn:aws:ivs:[a-z0-9-]+:[0-9]+:channel/[a-zA-Z0-9-]+");
  private static final Pattern STREAM_ID = Pattern.compile("st-[a-zA-Z0-9]{23}");
  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/[^/]+/([^/]+)/([^/]+)/aws4_request");
  private static final Pattern ATTEMPT = Pattern.compile("attempt=(\\d+)");
  private static final Pattern ACCOUNT_IN_KEY = Pattern.compile("\\d{12}");
  static final Set<String> OPERATIONS =
      Set.of("GetStreamSession", "ListStreamSessions", "ListChannels", "BatchGetChannel", "GetChannel");

  private final SimulatorConfig config;
  private final Fleet fleet;
  private final HttpServer server;
  private final ThreadPoolExecutor pool;
  private final SimulatorStats stats = new SimulatorStats();
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> attemptsSeen = new ConcurrentHashMap<>();

  private IvsSimulator(SimulatorConfig config, Fleet fleet) throws IOException {
    this.config = config;
    this.fleet = fleet;
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(config.threads(), config.threads(), 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "ivs-simulator-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), config.port()), 512);
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
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
    return server.getAddress();
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

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }

  private void handle(HttpExchange ex) {
    String requestId = UUID.randomUUID().toString();
    String op = ex.getRequestURI().getPath().replaceFirst("^/", "");
    try (ex) {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (!"POST".equals(ex.getRequestMethod()) || !OPERATIONS.contains(op)) {
        stats.record("Unknown", Outcome.CLIENT_ERROR);
        sendError(ex, requestId, 404, "UnknownOperationException", "Unknown operation " + ex.getRequestMethod() + " /" + op);
        return;
      }
      recordAccessKey(ex);
      Answer answer;
      try {
        Request req = parse(ex, op, body);
        answer = serve(ex, req);
      } catch (ApiError e) {
        answer = Answer.error(e);
      }
      send(ex, requestId, op, answer);
    } catch (IOException | RuntimeException e) {
      LOG.debug("request {} {} failed: {}", requestId, op, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The parsed, validated request: where it goes and what it names. */
  private record Request(String op, JsonNode body, String account, String region, String resource) {}

  private Request parse(HttpExchange ex, String op, byte[] raw) {
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
        return new Request(op, body, arn.accountId(), arn.region(), arn.format() + "|" + streamId);
      }
      case "ListStreamSessions" -> {
        IvsArn arn = channelArn(body, "channelArn");
        maxResults(body);
        return new Request(op, body, arn.accountId(), arn.region(), arn.format() + "|" + optionalString(body, "nextToken"));
      }
      case "GetChannel" -> {
        IvsArn arn = channelArn(body, "arn");
        return new Request(op, body, arn.accountId(), arn.region(), arn.format());
      }
      case "ListChannels" -> {
        maxResults(body);
        optionalString(body, "filterByName");
        String[] ar = accountRegion(ex, null);
        return new Request(op, body, ar[0], ar[1], ar[0] + "/" + ar[1] + "|" + optionalString(body, "nextToken"));
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
        IvsArn first = null;
        for (JsonNode a : arns) {
          if (!a.isTextual() || !CHANNEL_ARN.matcher(a.asText()).matches() || a.asText().length() > 128) {
            throw new ApiError(400, "ValidationException",
                "1 validation error detected: Value '" + a.asText() + "' at 'arns' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: " + CHANNEL_ARN.pattern());
          }
          if (first == null) {
            first = IvsArn.tryParse(a.asText());
          }
        }
        String[] ar = accountRegion(ex, first);
        return new Request(op, body, ar[0], ar[1], arns.toString());
      }
      default -> throw new IllegalStateException(op);
    }
  }

  private Answer serve(HttpExchange ex, Request req) throws InterruptedException {
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
      case "BatchGetChannel" -> batchGetChannel(req.body());
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

  private String batchGetChannel(JsonNode body) {
    List<Channel> found = new ArrayList<>();
    List<String[]> errors = new ArrayList<>();
    for (JsonNode a : body.get("arns")) {
      String arn = a.asText();
      Channel c = fleet.channel(arn);
      if (config.forbiddenIds().contains(arn)) {
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

  /** {account, region} for a request without an ARN in its body; see the class comment. */
  private String[] accountRegion(HttpExchange ex, IvsArn fallback) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    Matcher m = auth == null ? null : CREDENTIAL.matcher(auth);
    if (m == null || !m.find()) {
      return fallback != null
          ? new String[] {fallback.accountId(), fallback.region()}
          : new String[] {config.accounts().get(0), config.regions().get(0)};
    }
    String accessKey = m.group(1);
    String account = config.accessKeyAccounts().get(accessKey);
    if (account == null) {
      Matcher d = ACCOUNT_IN_KEY.matcher(accessKey);
      while (account == null && d.find()) {
        if (config.accounts().contains(d.group())) {
          account = d.group();
        }
      }
    }
    return new String[] {account != null ? account : config.accounts().get(0), m.group(2)};
  }

  private void recordAccessKey(HttpExchange ex) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    Matcher m = auth == null ? null : CREDENTIAL.matcher(auth);
    if (m != null && m.find()) {
      stats.recordAccessKey(m.group(1));
    }
  }

  private int attempt(HttpExchange ex, Request req) {
    String header = ex.getRequestHeaders().getFirst("amz-sdk-request");
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

  private void send(HttpExchange ex, String requestId, String op, Answer a) throws IOException {
    stats.record(op, a.outcome());
    if (a == Answer.RESET) {
      // closing the exchange before any header is sent drops the connection
      return;
    }
    if (a.errorType() != null) {
      sendError(ex, requestId, a.status(), a.errorType(), a.body());
      return;
    }
    write(ex, requestId, a.status(), null, a.body());
  }

  private static void sendError(HttpExchange ex, String requestId, int status, String type, String message)
      throws IOException {
    String body = SessionJson.render(g -> {
      g.writeStartObject();
      g.writeStringField("exceptionMessage", message);
      g.writeEndObject();
    });
    write(ex, requestId, status, type, body);
  }

  private static void write(HttpExchange ex, String requestId, int status, String errorType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("x-amzn-RequestId", requestId);
    if (errorType != null) {
      ex.getResponseHeaders().set("x-amzn-ErrorType", errorType);
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
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
