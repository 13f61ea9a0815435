package io.ivsanalytics.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on loopback: one Master and N Workers, each its own JVM started from a
 * SPARK_HOME (see {@link SparkLine#sparkHome}). {@link #close} stops the Workers first (a Worker
 * kills its executors when it stops), then the Master, and makes sure every JVM it started,
 * executors included, has ended.
 */
public final class StandaloneCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path logs;
  private final int masterPort;
  private final int masterUiPort;
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final List<Path> workDirs = new ArrayList<>();
  private final List<ProcessHandle> executors = new ArrayList<>();

  private StandaloneCluster(Path logs, int masterPort, int masterUiPort) {
    this.logs = logs;
    this.masterPort = masterPort;
    this.masterUiPort = masterUiPort;
  }

  /** Starts the Master and {@code workers} Workers and waits until all Workers are alive. */
  public static StandaloneCluster start(
      SparkLine line,
      Path sparkHome,
      Path dir,
      int workers,
      int coresPerWorker,
      String workerMemory)
      throws IOException, InterruptedException {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    StandaloneCluster c = new StandaloneCluster(logs, freePort(), freePort());
    boolean ok = false;
    try {
      c.launch(
          "master",
          line.sparkJvm(
              sparkHome,
              "256m",
              "org.apache.spark.deploy.master.Master",
              List.of(
                  "--host",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(c.masterPort),
                  "--webui-port",
                  Integer.toString(c.masterUiPort))));
      c.awaitMaster(Duration.ofSeconds(90));
      for (int i = 0; i < workers; i++) {
        Path work = Files.createDirectories(dir.resolve("worker-" + i));
        c.workDirs.add(work);
        c.launch(
            "worker-" + i,
            line.sparkJvm(
                sparkHome,
                "256m",
                "org.apache.spark.deploy.worker.Worker",
                List.of(
                    "--host",
                    "127.0.0.1",
                    "--port",
                    Integer.toString(freePort()),
                    "--webui-port",
                    Integer.toString(freePort()),
                    "--cores",
                    Integer.toString(coresPerWorker),
                    "--memory",
                    workerMemory,
                    "--work-dir",
                    work.toString(),
                    c.masterUrl())));
      }
      c.awaitWorkers(workers, Duration.ofSeconds(120));
      ok = true;
      return c;
    } finally {
      if (!ok) {
        System.err.println(c.logTails());
        c.close();
      }
    }
  }

  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** The Master's state ({@code /json/}): workers, cores, applications. */
  public JsonNode masterState() throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .build()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return JSON.readTree(r.body());
  }

  /**
   * The Workers' work directories (one {@code app-*} folder per application that ran an executor
   * there).
   */
  public List<Path> workDirs() {
    return List.copyOf(workDirs);
  }

  /** Every JVM this cluster started that is still running, executors included. */
  public List<ProcessHandle> running() {
    List<ProcessHandle> out = new ArrayList<>();
    for (Process p : processes.values()) {
      if (p.isAlive()) {
        out.add(p.toHandle());
      }
      p.descendants().filter(ProcessHandle::isAlive).forEach(out::add);
    }
    executors.stream().filter(ProcessHandle::isAlive).forEach(out::add);
    return out;
  }

  /** The last lines of every log, for failure messages. */
  public String logTails() {
    StringBuilder b = new StringBuilder();
    try (var files = Files.list(logs)) {
      for (Path f : files.sorted().toList()) {
        b.append(tail(f, 40));
      }
    } catch (IOException e) {
      b.append(e);
    }
    for (Path work : workDirs) {
      try (var walk = Files.walk(work)) {
        for (Path f :
            walk.filter(p -> p.getFileName().toString().equals("stderr")).sorted().toList()) {
          b.append(tail(f, 40));
        }
      } catch (IOException e) {
        b.append(e);
      }
    }
    return b.toString();
  }

  static String tail(Path f, int lines) {
    try {
      List<String> all = Files.readAllLines(f, StandardCharsets.UTF_8);
      return "---- "
          + f
          + "\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()))
          + "\n";
    } catch (IOException | UncheckedIOException e) {
      return "---- " + f + ": " + e + "\n";
    }
  }

  @Override
  public void close() {
    List<Map.Entry<String, Process>> order = new ArrayList<>(processes.entrySet());
    java.util.Collections.reverse(order); // workers (and their executors) first, the master last
    for (Map.Entry<String, Process> e : order) {
      Process p = e.getValue();
      p.descendants().forEach(executors::add);
      p.destroy();
      try {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    for (ProcessHandle h : executors) {
      if (h.isAlive()) { // a Worker that did not stop its executors in time
        h.destroy();
        try {
          h.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception ex) {
          h.destroyForcibly();
        }
      }
    }
  }

  private void launch(String name, ProcessBuilder pb) throws IOException {
    Path log = logs.resolve(name + ".log");
    processes.put(name, pb.redirectErrorStream(true).redirectOutput(log.toFile()).start());
  }

  private void awaitMaster(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      requireAlive();
      try {
        if (masterState().path("status").asText().equals("ALIVE")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "the Spark Master did not come up within " + timeout + "\n" + logTails());
  }

  private void awaitWorkers(int n, Duration timeout) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      requireAlive();
      if (masterState().path("aliveworkers").asInt() == n) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        String.format(
            Locale.ROOT, "%d Workers did not register within %s%n%s", n, timeout, logTails()));
  }

  private void requireAlive() {
    for (Map.Entry<String, Process> e : processes.entrySet()) {
      if (!e.getValue().isAlive()) {
        throw new AssertionError(
            e.getKey() + " exited with " + e.getValue().exitValue() + "\n" + logTails());
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
