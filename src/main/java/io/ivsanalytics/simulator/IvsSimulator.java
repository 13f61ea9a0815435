package io.ivsanalytics.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Set;
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
 *   sim.knobs().serverErrorRate(0.1);         // knobs change while it runs
 *   long throttled = sim.stats().throttled("GetStreamSession");
 * }
 * }</pre>
 *
 * <p>Operations: {@code POST /GetStreamSession}, {@code /ListStreamSessions} (most recent first),
 * {@code /ListChannels}, {@code /BatchGetChannel}, {@code /GetChannel}. Validation failures (bad
 * ARN or stream id, maxResults outside 1-100, missing field, invalid nextToken) answer 400
 * ValidationException; unknown channels and streams 404 ResourceNotFoundException; ids in {@link
 * SimulatorKnobs#forbiddenIds()} 403 AccessDeniedException. Errors carry the header {@code
 * x-amzn-ErrorType: <Name>} and the body {@code {"exceptionMessage":"…"}} (authorization denials
 * also {@code "Message"}, as IAM sends them); every answer has {@code x-amzn-RequestId}.
 *
 * <p>Ownership, as in AWS: every request is made by the account of its SigV4 access key id (see
 * {@link SimulatedSts}: a key with a 12-digit account id inside, e.g. {@code AKIA111122223333};
 * temporary {@code ASIA…} keys from AssumeRole, with their session token; any other key is the
 * first configured account). A channel ARN of another account answers 403 AccessDeniedException
 * ("User: … is not authorized to perform: ivs:GetStreamSession on resource: …"); ListChannels lists
 * only the caller's channels in the signed region. Unsigned requests, unknown or expired temporary
 * keys and missing session tokens are refused with 403 as AWS does. Signatures themselves are not
 * checked.
 *
 * <p>STS on the same port: {@code POST /} with a form body {@code Action=AssumeRole&…} (or {@code
 * GetCallerIdentity}) answers as AWS STS does, in XML; see {@link SimulatedSts}.
 *
 * <p>Quota: a token bucket per (account, region, operation) at {@link SimulatorKnobs#tps()}
 * requests per second, capacity one second's worth; past it, 429 ThrottlingException. The account
 * and region come from the ARN in the body (GetStreamSession, ListStreamSessions, GetChannel), else
 * from the caller and the region of the SigV4 credential scope ({@code
 * Credential=AKID/date/REGION/ivs/aws4_request}).
 *
 * <p>Faults (throttling, resets, 500s, slow and malformed answers), each with its own probability
 * and reproducible from the seed: see {@link FaultPlan}.
 *
 * <p>The server binds 127.0.0.1 only; see {@link LoopbackHttpServer}.
 */
public final class IvsSimulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IvsSimulator.class);

  private final SimulatorConfig config;
  private final Fleet fleet;
  private final LoopbackHttpServer server;
  private final SimulatedSts sts;
  private final SimulatorStats stats = new SimulatorStats();

  private IvsSimulator(SimulatorConfig config, Fleet fleet) throws IOException {
    this.config = config;
    this.fleet = fleet;
    this.sts = new SimulatedSts(config);
    SimulatorKnobs knobs = config.knobs();
    RestJsonTransport transport =
        new RestJsonTransport(
            knobs,
            sts,
            stats,
            new QuotaBuckets(),
            new FaultPlan(config.fleet().seed(), knobs, stats),
            new IvsOperations(fleet, knobs));
    this.server = new LoopbackHttpServer(config.port(), 512, transport::handle);
  }

  /** Generates the fleet of {@code config} and starts serving it on 127.0.0.1. */
  public static IvsSimulator start(SimulatorConfig config) {
    Fleet fleet = FleetGenerator.generate(config.fleet());
    try {
      IvsSimulator sim = new IvsSimulator(config, fleet);
      LOG.info(
          "IVS simulator on {}: {} channels, {} sessions",
          sim.endpoint(),
          fleet.channels().size(),
          fleet.sessionCount());
      return sim;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot bind the IVS simulator to 127.0.0.1:" + config.port(), e);
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

  /** The configuration it was started with: fleet spec, port and knobs. */
  public SimulatorConfig config() {
    return config;
  }

  /** The live knobs: their setters take effect on the next request. */
  public SimulatorKnobs knobs() {
    return config.knobs();
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
}
