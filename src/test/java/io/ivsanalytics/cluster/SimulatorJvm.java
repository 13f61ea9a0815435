package io.ivsanalytics.cluster;

import io.ivsanalytics.ChildJvm;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IVS simulator in a small JVM of its own, for tests that run a cluster: the simulator then
 * takes its quota decisions on arrival, free of the pauses of the test JVM's Spark heap (a pause
 * there holds requests back and lets them hit the token bucket together).
 *
 * <p>The child serves the config of a static no-argument method named {@code Class#method}, prints
 * {@code endpoint <uri>}, answers {@code stats} on its stdin with the simulator's counters followed
 * by {@code end}, and stops at the end of its stdin.
 */
final class SimulatorJvm implements AutoCloseable {
  private static final Pattern COUNT = Pattern.compile("(\\w+)=(\\d+)");

  private final Process process;
  private final BufferedReader out;
  private final Writer in;
  private final URI endpoint;

  private SimulatorJvm(Process process) throws IOException {
    this.process = process;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    String line;
    URI found = null;
    while (found == null && (line = out.readLine()) != null) {
      if (line.startsWith("endpoint ")) {
        found = URI.create(line.substring("endpoint ".length()).trim());
      }
    }
    if (found == null) {
      process.destroyForcibly();
      throw new IOException(
          "the simulator JVM ended without an endpoint (exit " + process.exitValue() + ")");
    }
    this.endpoint = found;
  }

  /** Starts a JVM serving the config that {@code configMethod} ({@code Class#method}) returns. */
  static SimulatorJvm start(String configMethod) throws IOException {
    Process p =
        ChildJvm.of(
                List.of("-Xmx256m", "-XX:+UseSerialGC"),
                SimulatorJvm.class.getName(),
                List.of(configMethod))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    return new SimulatorJvm(p);
  }

  URI endpoint() {
    return endpoint;
  }

  /** The simulator's counters, as {@code IvsSimulator.stats().toString()} prints them. */
  String stats() throws IOException {
    in.write("stats\n");
    in.flush();
    StringBuilder sb = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null && !line.equals("end")) {
      sb.append(line).append('\n');
    }
    return sb.toString();
  }

  /**
   * One counter of one operation in {@link #stats()}, e.g. {@code throttled} of GetStreamSession; 0
   * if absent.
   */
  static long count(String stats, String operation, String counter) {
    for (String line : stats.split("\n")) {
      if (line.startsWith(operation + ":")) {
        Matcher m = COUNT.matcher(line);
        while (m.find()) {
          if (m.group(1).equals(counter)) {
            return Long.parseLong(m.group(2));
          }
        }
      }
    }
    return 0;
  }

  @Override
  public void close() throws Exception {
    try {
      in.close();
    } catch (IOException e) {
      // already gone
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  public static void main(String[] args) throws Exception {
    String[] target = args[0].split("#", 2);
    Method m = Class.forName(target[0]).getDeclaredMethod(target[1]);
    m.setAccessible(true);
    SimulatorConfig config = (SimulatorConfig) m.invoke(null);
    PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (IvsSimulator sim = IvsSimulator.start(config);
        BufferedReader stdin =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      stdout.println("endpoint " + sim.endpoint());
      String line;
      while ((line = stdin.readLine()) != null) {
        if (line.trim().equals("stats")) {
          stdout.print(sim.stats());
          List<String> windows = new ArrayList<>();
          sim.stats()
              .quotaWindows("GetStreamSession")
              .forEach(
                  (k, w) ->
                      windows.add(
                          String.format(
                              Locale.ROOT,
                              "quota %s: %d requests, %d throttled, %.2f/s",
                              k,
                              w.requests(),
                              w.throttled(),
                              w.requestsPerSecond())));
          windows.forEach(stdout::println);
          stdout.println("end");
        }
      }
    }
  }
}
