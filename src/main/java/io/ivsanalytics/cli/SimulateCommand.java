package io.ivsanalytics.cli;

import io.ivsanalytics.config.UsageException;
import io.ivsanalytics.simulator.Fleet;
import io.ivsanalytics.simulator.Fleet.Channel;
import io.ivsanalytics.simulator.FleetOptions;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import io.ivsanalytics.simulator.SimulatorOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ivs-analytics simulate}: an IVS-compatible API on 127.0.0.1 in the foreground. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Serves a seeded, synthetic IVS fleet on 127.0.0.1 over the IVS API (GetStreamSession,"
          + " ListStreamSessions,",
      "ListChannels, BatchGetChannel, GetChannel) with the 5 TPS quota and optional faults. Stops"
          + " on Ctrl-C.",
      "The caller's account is the 12-digit account id inside the access key id (e.g."
          + " AKIA111122223333), else the",
      "first --accounts entry; another account's channel answers 403 AccessDeniedException, and"
          + " ListChannels lists",
      "the caller's channels in the region of the request's SigV4 scope. STS AssumeRole on the same"
          + " port gives",
      "temporary ASIA... keys of arn:aws:iam::<account>:role/<name>, to be used with their session"
          + " token."
    })
public final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      description = "Port on 127.0.0.1 (0 = any free port). Default: ${DEFAULT-VALUE}.")
  int port = 4566;

  @Mixin FleetOptions fleet = new FleetOptions();

  @Mixin SimulatorOptions simulator = new SimulatorOptions();

  @Option(
      names = "--throttle-rate",
      description =
          "Share of 429 ThrottlingException answers whatever the quota. Default: ${DEFAULT-VALUE}.")
  double throttleRate;

  @Option(
      names = "--error-rate",
      description = "Share of 500 InternalServerException answers. Default: ${DEFAULT-VALUE}.")
  double errorRate;

  @Option(
      names = "--slow-rate",
      description = "Share of answers delayed by --slow-ms. Default: ${DEFAULT-VALUE}.")
  double slowRate;

  @Option(names = "--slow-ms", description = "Delay of slow answers. Default: ${DEFAULT-VALUE}.")
  long slowMs = 10_000;

  @Option(
      names = "--reset-rate",
      description = "Share of connections closed without an answer. Default: ${DEFAULT-VALUE}.")
  double resetRate;

  @Option(
      names = "--malformed-rate",
      description = "Share of 200 answers with truncated JSON. Default: ${DEFAULT-VALUE}.")
  double malformedRate;

  @Option(
      names = "--forbidden",
      split = ",",
      description = "Channel ARNs or stream ids answered 403 AccessDeniedException.")
  List<String> forbidden = List.of();

  @Option(
      names = "--sts-duration-seconds",
      description =
          "Lifetime of AssumeRole credentials when shorter than asked"
              + " (0 = as asked, default 3600). Default: ${DEFAULT-VALUE}.")
  long stsDurationSeconds;

  @Option(
      names = "--denied-roles",
      split = ",",
      description = "Role ARNs or account ids whose AssumeRole answers" + " AccessDenied.")
  List<String> deniedRoles = List.of();

  @Option(
      names = "--role-external-id",
      description = "ExternalId that AssumeRole requires (default: none).")
  String roleExternalId;

  @Option(
      names = "--write-ids",
      description = "Write the fleet as an ids file (CSV channel_arn,stream_id) for fetch.")
  Path writeIds;

  @Option(
      names = "--ids-per-session",
      description = "With --write-ids: one row per session instead of per channel.")
  boolean idsPerSession;

  @Override
  public Integer call() throws IOException, InterruptedException {
    SimulatorConfig cfg = config();
    PrintWriter out = spec.commandLine().getOut();
    try (IvsSimulator sim = IvsSimulator.start(cfg)) {
      Fleet fleet = sim.fleet();
      out.printf(Locale.ROOT, "IVS simulator listening on %s%n", sim.endpoint());
      out.printf(
          Locale.ROOT,
          "%d channels, %d stream sessions, %s to %s, quota %s TPS%n",
          fleet.channels().size(),
          fleet.sessionCount(),
          cfg.fleet().anchor().minus(java.time.Duration.ofDays(cfg.fleet().days())),
          cfg.fleet().anchor(),
          cfg.knobs().tps());
      if (writeIds != null) {
        long rows = fleet.writeIdsFile(writeIds, idsPerSession);
        out.printf(Locale.ROOT, "wrote %d ids to %s%n", rows, writeIds);
      }
      fleet.channels().stream()
          .limit(3)
          .forEach(
              c ->
                  out.printf(
                      Locale.ROOT,
                      "  %s  %s %s, %d sessions%n",
                      c.arn(),
                      c.type(),
                      c.containerFormat(),
                      c.sessions().size()));
      Channel first =
          fleet.channels().stream().filter(c -> !c.sessions().isEmpty()).findFirst().orElse(null);
      if (first != null) {
        out.printf(
            Locale.ROOT,
            "try:%n  AWS_ACCESS_KEY_ID=AKIA%s AWS_SECRET_ACCESS_KEY=fake aws ivs get-stream-session"
                + " --endpoint-url %s --region %s --channel-arn %s --stream-id %s%n",
            first.accountId(),
            sim.endpoint(),
            first.region(),
            first.arn(),
            first.sessions().get(0).streamId());
      }
      out.println("Ctrl-C to stop");
      out.flush();
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    out.println("requests:");
                    out.print(sim.stats());
                    out.flush();
                    stopped.countDown();
                  }));
      stopped.await();
    }
    return 0;
  }

  SimulatorConfig config() {
    SimulatorConfig.Builder b =
        simulator.applyTo(fleet.applyTo(SimulatorConfig.builder(), Clock.systemUTC()));
    try {
      return b.port(port)
          .throttleRate(throttleRate)
          .serverErrorRate(errorRate)
          .slowRate(slowRate)
          .slowMs(slowMs)
          .resetRate(resetRate)
          .malformedRate(malformedRate)
          .forbiddenIds(forbidden)
          .stsDurationSeconds(stsDurationSeconds)
          .deniedRoles(deniedRoles)
          .roleExternalId(roleExternalId)
          .build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
