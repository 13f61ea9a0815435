package io.ivsanalytics.bench;

import io.ivsanalytics.config.Settings;
import io.ivsanalytics.config.SparkSessions;
import io.ivsanalytics.ingest.FetchId;
import io.ivsanalytics.ingest.FetchOptions;
import io.ivsanalytics.ingest.FetchStage;
import io.ivsanalytics.ingest.FetchSummary;
import io.ivsanalytics.simulator.Fleet;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import io.ivsanalytics.simulator.SimulatorStats.QuotaWindow;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.SparkSession;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ivs.IvsClient;

/**
 * The several-accounts section of {@code jobs/bench-fetch --accounts-scale}: first what the
 * simulator serves at zero latency (keep-alive HTTP clients, the AWS SDK client the job uses, and
 * boto3 calling sequentially), beside the quota the fleet needs; then a fleet over N accounts x M
 * regions fetched through one assumed role per account at the real quota, with each (account,
 * region) budget's achieved rate and throttles as the simulator counted them.
 */
final class AccountsBenchmark {
  private static final Instant ANCHOR = Instant.parse("2024-05-06T00:00:00Z");
  private static final String OP = "GetStreamSession";

  private final int accounts;
  private final List<String> regions;
  private final int idsPerBudget;
  private final double tps;
  private final long latencyMs;
  private final int clientThreads;
  private final double seconds;
  private final Path work;
  private final PrintStream out;

  AccountsBenchmark(
      int accounts,
      List<String> regions,
      int idsPerBudget,
      double tps,
      long latencyMs,
      int clientThreads,
      double seconds,
      Path work,
      PrintStream out) {
    this.accounts = accounts;
    this.regions = regions;
    this.idsPerBudget = idsPerBudget;
    this.tps = tps;
    this.latencyMs = latencyMs;
    this.clientThreads = clientThreads;
    this.seconds = seconds;
    this.work = work;
    this.out = out;
  }

  List<String> accountIds() {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= accounts; i++) {
      ids.add(String.format(Locale.ROOT, "%012d", 100_000_000_000L + 11_111L * i));
    }
    return ids;
  }

  int run() throws Exception {
    int budgets = accounts * regions.size();
    double quota = tps * budgets;
    out.printf(
        Locale.ROOT,
        "bench-fetch --accounts-scale: %d accounts x %d regions = %d budgets of %.1f TPS"
            + " (%.0f calls/s in all), %d cores%n",
        accounts,
        regions.size(),
        budgets,
        tps,
        quota,
        Runtime.getRuntime().availableProcessors());

    out.println();
    out.println("== simulator at zero latency (quota lifted), GetStreamSession ==");
    double raw = rawHttp();
    double sdk = sdkClient();
    double boto3 = boto3Sequential();
    String row = "%-58s %12s %16s%n";
    out.printf(Locale.ROOT, row, "client", "calls/s", "x fleet quota");
    out.printf(
        Locale.ROOT,
        row,
        clientThreads + " keep-alive HTTP connections (no signing)",
        fmt(raw),
        ratio(raw, quota));
    out.printf(
        Locale.ROOT,
        row,
        clientThreads + " threads, one AWS SDK IvsClient (as the job)",
        fmt(sdk),
        ratio(sdk, quota));
    out.printf(
        Locale.ROOT,
        row,
        "boto3, one call after the other",
        boto3 < 0 ? "n/a" : fmt(boto3),
        boto3 < 0 ? "-" : ratio(boto3, quota));
    out.printf(
        Locale.ROOT,
        row,
        "fleet quota (" + budgets + " budgets x " + fmt(tps) + ")",
        fmt(quota),
        "1.00x");
    boolean fast = raw >= 1000;

    out.println();
    out.printf(
        Locale.ROOT,
        "== fleet of %d accounts x %d regions through AssumeRole, %d ids per budget,"
            + " latency %d ms ==%n",
        accounts,
        regions.size(),
        idsPerBudget,
        latencyMs);
    Fleetwide f = fleet();
    out.println();
    f.summary().print(out);
    out.println();
    List<Map.Entry<String, QuotaWindow>> windows = new ArrayList<>(f.windows().entrySet());
    windows.sort(Comparator.comparingDouble(e -> e.getValue().requestsPerSecond()));
    double min = windows.isEmpty() ? 0 : windows.get(0).getValue().requestsPerSecond();
    double max =
        windows.isEmpty() ? 0 : windows.get(windows.size() - 1).getValue().requestsPerSecond();
    double median =
        windows.isEmpty() ? 0 : windows.get(windows.size() / 2).getValue().requestsPerSecond();
    long throttled = windows.stream().mapToLong(e -> e.getValue().throttled()).sum();
    long calls = windows.stream().mapToLong(e -> e.getValue().requests()).sum();
    out.printf(
        Locale.ROOT,
        "budgets seen by the simulator: %d of %d; calls %d, throttled %d%n",
        windows.size(),
        budgets,
        calls,
        throttled);
    out.printf(
        Locale.ROOT,
        "achieved per budget: min %.2f (%.1f%%), median %.2f (%.1f%%), max %.2f (%.1f%%) of %.1f"
            + " TPS%n",
        min,
        100 * min / tps,
        median,
        100 * median / tps,
        max,
        100 * max / tps,
        tps);
    out.println("lowest budgets:");
    for (Map.Entry<String, QuotaWindow> e : windows.subList(0, Math.min(3, windows.size()))) {
      QuotaWindow w = e.getValue();
      out.printf(
          Locale.ROOT,
          "  %-32s %5d calls, %d throttled, %.2f TPS (%.1f%%)%n",
          e.getKey(),
          w.requests(),
          w.throttled(),
          w.requestsPerSecond(),
          100 * w.requestsPerSecond() / tps);
    }
    out.printf(
        Locale.ROOT,
        "total: %.2f calls/s over the run's first-to-last call (%.1f%% of %.0f); AssumeRole calls"
            + " %d%n",
        f.totalPerSecond(),
        100 * f.totalPerSecond() / quota,
        quota,
        f.assumeRoles());
    out.printf(
        Locale.ROOT,
        "ratio simulator capacity / fleet quota: raw HTTP %.1fx, AWS SDK client %.1fx%n",
        raw / quota,
        sdk / quota);

    boolean everyBudget = windows.size() == budgets && min >= 0.95 * tps;
    boolean noThrottle = throttled == 0;
    boolean nothingLost = f.summary().balanced() && f.summary().fetched() == f.requested();
    out.printf(
        Locale.ROOT,
        "%s  simulator serves >= 1,000 calls/s at zero latency (%.0f)%n",
        verdict(fast),
        raw);
    out.printf(
        Locale.ROOT,
        "%s  every budget >= 95%% of %.1f TPS (lowest %.1f%%)%n",
        verdict(everyBudget),
        tps,
        100 * min / tps);
    out.printf(Locale.ROOT, "%s  0 throttles (%d)%n", verdict(noThrottle), throttled);
    out.printf(
        Locale.ROOT,
        "%s  every id fetched through its account's role (%d of %d)%n",
        verdict(nothingLost),
        f.summary().fetched(),
        f.requested());
    return fast && everyBudget && noThrottle && nothingLost ? 0 : 1;
  }

  private record Fleetwide(
      FetchSummary summary,
      Map<String, QuotaWindow> windows,
      int requested,
      double totalPerSecond,
      int assumeRoles) {}

  private Fleetwide fleet() throws IOException {
    List<String> accountIds = accountIds();
    // 2 channels x 4 sessions a day on average per budget, with a margin for the random draw
    int days = Math.max(7, (int) Math.ceil(idsPerBudget / 8.0 * 1.5) + 3);
    SimulatorConfig cfg =
        SimulatorConfig.builder()
            .seed(5)
            .accounts(accountIds)
            .regions(regions)
            .channelsPerAccountRegion(2)
            .days(days)
            .sessionsPerChannelPerDay(4)
            .anchor(ANCHOR)
            .tps(tps)
            .latencyMs(latencyMs)
            .build();
    Path dir = Files.createDirectories(work.resolve("accounts-scale"));
    Path ids = dir.resolve("ids.csv");
    int requested;
    SparkSession spark = SparkSessions.create("bench-fetch-accounts");
    try (IvsSimulator sim = IvsSimulator.start(cfg)) {
      requested = writeIds(sim.fleet(), ids);
      FetchOptions options =
          FetchOptions.builder(Settings.load(null))
              .idsFile(ids)
              .lake(dir.resolve("lake").toString())
              .endpoint(sim.endpoint().toString())
              .quotaTps(tps)
              .roleArn(FetchBenchmark.ROLE_TEMPLATE)
              .from(LocalDate.ofInstant(ANCHOR.minus(days + 1L, ChronoUnit.DAYS), ZoneOffset.UTC))
              .to(LocalDate.ofInstant(ANCHOR.plus(1, ChronoUnit.DAYS), ZoneOffset.UTC))
              .build();
      FetchSummary summary = FetchStage.run(spark, options);
      Map<String, QuotaWindow> windows = new TreeMap<>(sim.stats().quotaWindows(OP));
      long first = windows.values().stream().mapToLong(QuotaWindow::firstMillis).min().orElse(0);
      long last = windows.values().stream().mapToLong(QuotaWindow::lastMillis).max().orElse(0);
      long calls = windows.values().stream().mapToLong(QuotaWindow::requests).sum();
      double total = last > first ? (calls - 1) * 1000.0 / (last - first) : 0;
      return new Fleetwide(summary, windows, requested, total, sim.assumeRoleCount());
    } finally {
      spark.stop();
    }
  }

  /** The first {@code idsPerBudget} sessions of every (account, region), as an ids file. */
  private int writeIds(Fleet fleet, Path file) throws IOException {
    Map<String, Integer> taken = new TreeMap<>();
    StringBuilder sb = new StringBuilder("channel_arn,stream_id\n");
    int n = 0;
    for (Fleet.Channel c : fleet.channels()) {
      for (Fleet.Session s : c.sessions()) {
        FetchId id = new FetchId(c.arn(), s.streamId());
        if (taken.merge(id.accountRegion(), 1, Integer::sum) <= idsPerBudget) {
          sb.append(c.arn()).append(',').append(s.streamId()).append('\n');
          n++;
        }
      }
    }
    for (Map.Entry<String, Integer> e : taken.entrySet()) {
      if (e.getValue() < idsPerBudget) {
        throw new IllegalStateException(e.getKey() + " has only " + e.getValue() + " sessions");
      }
    }
    Files.writeString(file, sb, StandardCharsets.UTF_8);
    return n;
  }

  private IvsSimulator zeroLatency() {
    return IvsSimulator.start(
        SimulatorConfig.builder()
            .seed(5)
            .accounts("123456789012")
            .regions("us-west-2")
            .channelsPerAccountRegion(2)
            .days(1)
            .anchor(ANCHOR)
            .tps(1_000_000)
            .latencyMs(0)
            .build());
  }

  private static Fleet.Channel busyChannel(IvsSimulator sim) {
    return sim.fleet().channels().stream()
        .filter(c -> !c.sessions().isEmpty())
        .findFirst()
        .orElseThrow();
  }

  /** Keep-alive connections sending pre-built GetStreamSession requests, one thread each. */
  private double rawHttp() throws Exception {
    try (IvsSimulator sim = zeroLatency()) {
      Fleet.Channel c = busyChannel(sim);
      String body =
          "{\"channelArn\":\""
              + c.arn()
              + "\",\"streamId\":\""
              + c.sessions().get(0).streamId()
              + "\"}";
      byte[] request =
          ("POST /GetStreamSession HTTP/1.1\r\nHost: 127.0.0.1:"
                  + sim.address().getPort()
                  + "\r\n"
                  + "Content-Type: application/x-amz-json-1.1\r\n"
                  + "Authorization: AWS4-HMAC-SHA256"
                  + " Credential=AKIA123456789012/20240506/us-west-2/ivs/aws4_request,"
                  + " SignedHeaders=host, Signature=0\r\n"
                  + "Content-Length: "
                  + body.length()
                  + "\r\n\r\n"
                  + body)
              .getBytes(StandardCharsets.UTF_8);
      List<Socket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
      try {
        return measure(
            () -> {
              Socket s = new Socket("127.0.0.1", sim.address().getPort());
              sockets.add(s);
              s.setTcpNoDelay(true);
              OutputStream o = s.getOutputStream();
              InputStream in = new BufferedInputStream(s.getInputStream(), 65536);
              return () -> {
                o.write(request);
                o.flush();
                return readResponse(in) == 200;
              };
            });
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
    }
  }

  /** The job's client: one IvsClient (Apache HTTP client, SigV4), called from several threads. */
  private double sdkClient() throws Exception {
    try (IvsSimulator sim = zeroLatency();
        IvsClient ivs =
            IvsClient.builder()
                .endpointOverride(sim.endpoint())
                .region(Region.US_WEST_2)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIA123456789012", "x")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(clientThreads))
                .build()) {
      Fleet.Channel c = busyChannel(sim);
      String stream = c.sessions().get(0).streamId();
      return measure(
          () -> () -> ivs.getStreamSession(b -> b.channelArn(c.arn()).streamId(stream)) != null);
    }
  }

  /** boto3 calling sequentially (the client the simulator was slow with); -1 when absent. */
  private double boto3Sequential() throws Exception {
    try (IvsSimulator sim = zeroLatency()) {
      Fleet.Channel c = busyChannel(sim);
      String script =
          String.join(
              "\n",
              "import boto3, sys, time",
              "ivs = boto3.client('ivs', endpoint_url=sys.argv[1], region_name='us-west-2',",
              "    aws_access_key_id='AKIA123456789012', aws_secret_access_key='x')",
              "call = lambda: ivs.get_stream_session(channelArn=sys.argv[2], streamId=sys.argv[3])",
              "for _ in range(50): call()",
              "n, t = 0, time.time()",
              "while time.time() - t < float(sys.argv[4]): call(); n += 1",
              "print(n / (time.time() - t))",
              "");
      Path py = Files.createTempFile(work, "boto3-loop", ".py");
      Files.writeString(py, script, StandardCharsets.UTF_8);
      Process p =
          new ProcessBuilder(
                  "python3",
                  py.toString(),
                  sim.endpoint().toString(),
                  c.arn(),
                  c.sessions().get(0).streamId(),
                  String.valueOf(seconds))
              .redirectErrorStream(true)
              .start();
      String printed =
          new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        out.println("boto3 not measured: " + printed.lines().reduce((a, b) -> b).orElse(""));
        return -1;
      }
      return Double.parseDouble(printed.lines().reduce((a, b) -> b).orElse("-1"));
    } catch (IOException e) {
      out.println("boto3 not measured: " + e.getMessage());
      return -1;
    }
  }

  private interface Loop {
    boolean once() throws Exception;
  }

  private interface LoopFactory {
    Loop open() throws Exception;
  }

  /**
   * Calls/s of {@code clientThreads} loops over {@link #seconds}, after as long a warm-up (JIT).
   */
  private double measure(LoopFactory factory) throws Exception {
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long warmupEnd = System.nanoTime() + (long) (seconds * 1e9);
    long end = warmupEnd + (long) (seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clientThreads; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  Loop loop = factory.open();
                  while (System.nanoTime() < end) {
                    boolean good = loop.once();
                    if (System.nanoTime() > warmupEnd) {
                      (good ? ok : failed).incrementAndGet();
                    }
                  }
                } catch (Exception e) {
                  failed.incrementAndGet();
                }
              },
              "bench-client-" + i);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failed.get() > 0) {
      out.printf(Locale.ROOT, "  (%d failed calls)%n", failed.get());
    }
    return ok.get() / seconds;
  }

  /** Reads one HTTP response; returns its status. */
  private static int readResponse(InputStream in) throws IOException {
    String status = line(in);
    int length = 0;
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(h.substring(15).strip());
      }
    }
    if (in.readNBytes(length).length != length) {
      throw new IOException("short body");
    }
    return Integer.parseInt(status.split(" ")[1]);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed");
      }
      if (b != '\r') {
        sb.append((char) b);
      }
    }
    return sb.toString();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%,.1f", v);
  }

  private static String ratio(double v, double quota) {
    return String.format(Locale.ROOT, "%.2fx", v / quota);
  }

  private static String verdict(boolean ok) {
    return ok ? "PASS" : "FAIL";
  }
}
