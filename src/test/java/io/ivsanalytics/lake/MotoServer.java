package io.ivsanalytics.lake;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 API server for tests: moto's {@code moto_server}, started on a free loopback port and
 * ended (with exactly the processes it started) by {@link #close}. Not found, it fails with what is
 * missing and how to install it; it never skips.
 *
 * <p>The executable: {@code $MOTO_SERVER}, else {@code moto_server} on the PATH, else {@code
 * ~/.pyenv/shims/moto_server}.
 */
public final class MotoServer implements AutoCloseable {
  public static final String ACCESS_KEY = "moto-test-access-key";
  public static final String SECRET_KEY = "moto-test-secret-key";
  static final String INSTALL_HINT =
      "moto_server (moto 5.2.1 with its server extra: Flask) is needed for the S3 tests; install it"
          + " with pip install 'moto[server]==5.2.1', or point MOTO_SERVER at the executable";

  private final Process process;
  private final int port;
  private final Path log;

  private MotoServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** The moto_server executable, or an error saying what is missing. */
  public static Path executable() {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("MOTO_SERVER");
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          candidates.add(Path.of(dir, "moto_server"));
        }
      }
    }
    candidates.add(Path.of(System.getProperty("user.home"), ".pyenv", "shims", "moto_server"));
    for (Path p : candidates) {
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        INSTALL_HINT
            + " (looked in "
            + candidates.size()
            + " places: $MOTO_SERVER, PATH, ~/.pyenv/shims)");
  }

  /** Starts moto_server on 127.0.0.1 and waits until it answers S3 requests. */
  public static MotoServer start() throws IOException, InterruptedException {
    Path exe = executable();
    int port = freePort();
    Path log = Files.createTempFile("moto-server-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(exe.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port));
    Map<String, String> env = pb.environment();
    env.put("PYTHONUNBUFFERED", "1");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    MotoServer server = new MotoServer(p, port, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      if (!p.isAlive()) {
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        throw new IllegalStateException(
            "moto_server exited with code "
                + p.exitValue()
                + " before answering; "
                + INSTALL_HINT
                + "\n"
                + out);
      }
      if (server.answers()) {
        return server;
      }
      if (System.nanoTime() > deadline) {
        String out = Files.readString(log, StandardCharsets.UTF_8);
        server.close();
        throw new IllegalStateException(
            "moto_server did not answer on port " + port + " within 60 s\n" + out);
      }
      Thread.sleep(200);
    }
  }

  private boolean answers() {
    try {
      HttpURLConnection c =
          (HttpURLConnection) endpointUri().resolve("/moto-api/").toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(2000);
      int code = c.getResponseCode();
      try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
        if (in != null) {
          in.readAllBytes();
        }
      }
      return code > 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** True while the server process runs. */
  public boolean running() {
    return process.isAlive();
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  URI endpointUri() {
    return URI.create(endpoint() + "/");
  }

  /**
   * The s3a settings of this server as Spark configuration keys ({@code spark.hadoop.fs.s3a.*}),
   * the way a user passes them to spark-submit.
   */
  public Map<String, String> sparkS3aSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("spark.hadoop.fs.s3a.endpoint", endpoint());
    m.put("spark.hadoop.fs.s3a.endpoint.region", "us-east-1");
    m.put("spark.hadoop.fs.s3a.path.style.access", "true");
    m.put("spark.hadoop.fs.s3a.connection.ssl.enabled", "false");
    m.put("spark.hadoop.fs.s3a.access.key", ACCESS_KEY);
    m.put("spark.hadoop.fs.s3a.secret.key", SECRET_KEY);
    m.put(
        "spark.hadoop.fs.s3a.aws.credentials.provider",
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    // Fail fast rather than retry for minutes when something is wrong.
    m.put("spark.hadoop.fs.s3a.attempts.maximum", "3");
    m.put("spark.hadoop.fs.s3a.retry.limit", "3");
    m.put("spark.hadoop.fs.s3a.connection.establish.timeout", "5000");
    m.put("spark.hadoop.fs.s3a.connection.timeout", "20000");
    return m;
  }

  /** Ends the server and the processes it started (the shim may run Python as a child). */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      for (ProcessHandle c : children) {
        c.onExit().get(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      children.forEach(ProcessHandle::destroyForcibly);
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // a temp file; nothing else to do
    }
  }
}
