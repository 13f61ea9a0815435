package io.ivsanalytics.cluster;

import io.ivsanalytics.simulator.Fleet;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import io.ivsanalytics.simulator.SimulatorStats.QuotaWindow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fetch stage on a Spark standalone cluster (Master + 2 Workers x 2 cores, each in its own JVM
 * on loopback; the cluster jar submitted through SparkSubmit in client mode), against the IVS
 * simulator at the real quota: with {@code fetch.partitions} unset (follow the registered
 * executors), below the slot count and above it. For each run and account/region the simulator
 * measures GetStreamSession requests, 429s and the arrival rate from the first to the last request,
 * printed as a share of the 5 TPS quota. Run through {@code jobs/bench-cluster}. PASS/FAIL per run:
 * every account/region at >= 95 % of the quota, 0 throttled. Exit code 1 on FAIL.
 */
public final class ClusterFetchBenchmark {
  static final int WORKERS = 2;
  static final int CORES_PER_WORKER = 2;
  static final double QUOTA = 5.0;
  static final double TARGET = 0.95;

  public static void main(String[] args) throws Exception {
    int channels = 5;
    int days = 6;
    int perDay = 5;
    long latency = 40;
    List<String> partitions = new ArrayList<>(List.of("default", "2", "8"));
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--channels" -> channels = Integer.parseInt(args[++i]);
        case "--days" -> days = Integer.parseInt(args[++i]);
        case "--sessions-per-day" -> perDay = Integer.parseInt(args[++i]);
        case "--latency-ms" -> latency = Long.parseLong(args[++i]);
        case "--partitions" -> partitions = List.of(args[++i].split(","));
        default -> {
          System.err.println(
              "usage: jobs/bench-cluster [--channels N] [--days N] [--sessions-per-day N]"
                  + " [--latency-ms N] [--partitions default,2,8]");
          System.exit(2);
        }
      }
    }
    SparkLine line = SparkLine.built();
    Path jar = line.requireJar();
    Path home = line.sparkHome();
    Path dir = Files.createTempDirectory("bench-cluster");
    Instant anchor = Instant.parse("2024-05-08T00:00:00Z");
    SimulatorConfig config =
        SimulatorConfig.builder()
            .seed(17)
            .accounts("111122223333", "444455556666")
            .regions("us-west-2", "eu-west-1")
            .channelsPerAccountRegion(channels)
            .days(days)
            .sessionsPerChannelPerDay(perDay)
            .anchor(anchor)
            .tps(QUOTA)
            .latencyMs(latency)
            .build();
    System.out.println("==== bench-cluster ====");
    System.out.printf(Locale.ROOT, "%s, cluster jar %s%n", line, jar.getFileName());
    System.out.printf(
        Locale.ROOT,
        "cluster: 1 Master + %d Workers x %d cores (%d task slots), each its own JVM on 127.0.0.1; "
            + "machine: %d cores%n",
        WORKERS,
        CORES_PER_WORKER,
        WORKERS * CORES_PER_WORKER,
        Runtime.getRuntime().availableProcessors());
    boolean pass = true;
    List<String> verdicts = new ArrayList<>();
    try (StandaloneCluster cluster =
        StandaloneCluster.start(
            line, home, dir.resolve("cluster"), WORKERS, CORES_PER_WORKER, "1g")) {
      for (String p : partitions) {
        try (IvsSimulator sim = IvsSimulator.start(config)) {
          Path ids = dir.resolve("ids.csv");
          int n = writeIds(sim, ids);
          if (p.equals(partitions.get(0))) {
            System.out.printf(
                Locale.ROOT,
                "fleet: %d GetStreamSession ids over 2 accounts x 2 regions, %d ms latency, quota"
                    + " %.0f TPS each%n",
                n,
                latency,
                QUOTA);
          }
          Path log = dir.resolve("driver-" + p + ".log");
          ProcessBuilder pb =
              line.submit(
                  home,
                  cluster.masterUrl(),
                  jar,
                  List.of(
                      "spark.executor.memory=512m",
                      "spark.cores.max=" + WORKERS * CORES_PER_WORKER),
                  List.of(
                      "fetch",
                      "--ids",
                      ids.toString(),
                      "--lake",
                      dir.resolve("lake-" + p).toString(),
                      "--endpoint",
                      sim.endpoint().toString(),
                      "--role-arn",
                      io.ivsanalytics.ingest.TestRoles.TEMPLATE,
                      "--from",
                      "2024-04-20",
                      "--to",
                      "2024-05-09"));
          if (!p.equals("default")) {
            pb.environment().put("IVS_ANALYTICS_FETCH_PARTITIONS", p);
          }
          long t0 = System.nanoTime();
          Process driver = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
          boolean done;
          try {
            done = driver.waitFor(15, TimeUnit.MINUTES);
          } finally {
            driver.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          }
          double wall = (System.nanoTime() - t0) / 1e9;
          String out = Files.readString(log, StandardCharsets.UTF_8);
          if (!done || driver.exitValue() != 0) {
            System.out.println(out);
            System.out.println(cluster.logTails());
            throw new IllegalStateException(
                "fetch with fetch.partitions="
                    + p
                    + " failed (exit "
                    + (done ? driver.exitValue() : "timeout")
                    + "), log "
                    + log);
          }
          System.out.printf(
              Locale.ROOT,
              "%nfetch.partitions=%s: %.1f s submit to exit; driver: %s%n",
              p,
              wall,
              usedPartitions(out));
          System.out.printf(
              Locale.ROOT,
              "  %-26s %8s %9s %8s %12s%n",
              "account/region",
              "requests",
              "throttled",
              "req/s",
              "share of 5");
          boolean ok = true;
          for (Map.Entry<String, QuotaWindow> e :
              sim.stats().quotaWindows("GetStreamSession").entrySet()) {
            QuotaWindow w = e.getValue();
            double share = w.requestsPerSecond() / QUOTA;
            ok &= share >= TARGET && w.throttled() == 0;
            System.out.printf(
                Locale.ROOT,
                "  %-26s %8d %9d %8.2f %11.1f%%%n",
                e.getKey(),
                w.requests(),
                w.throttled(),
                w.requestsPerSecond(),
                share * 100);
          }
          verdicts.add(
              String.format(
                  Locale.ROOT,
                  "%s  fetch.partitions=%s: every account/region >= %.0f%% of the quota, 0"
                      + " throttled",
                  ok ? "PASS" : "FAIL",
                  p,
                  TARGET * 100));
          pass &= ok;
        }
      }
    }
    System.out.println();
    verdicts.forEach(System.out::println);
    System.exit(pass ? 0 : 1);
  }

  static final Pattern SLOTS = Pattern.compile("executors: \\d+ registered[^\\n]*task slots");

  /** What the driver reported about the executors it found and the task slots it planned for. */
  static String usedPartitions(String driverLog) {
    Matcher m = SLOTS.matcher(driverLog);
    return m.find() ? m.group() : "(no executor report in the driver log)";
  }

  static int writeIds(IvsSimulator sim, Path ids) throws IOException {
    List<String> lines = new ArrayList<>(List.of("channel_arn,stream_id"));
    for (Fleet.Channel c : sim.fleet().channels()) {
      for (Fleet.Session s : c.sessions()) {
        lines.add(c.arn() + "," + s.streamId());
      }
    }
    Files.write(ids, lines, StandardCharsets.UTF_8);
    return lines.size() - 1;
  }

  private ClusterFetchBenchmark() {}
}
