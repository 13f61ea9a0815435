package io.ivsanalytics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log4j2 configuration the jar and the launcher ship drops Spark's hostname-loopback warning
 * (written on every Spark start on a host whose name resolves to 127.0.x.x) and nothing else.
 */
class LogConfigTest {
  @TempDir Path dir;

  @Test
  void shippedConfigDropsOnlyTheLoopbackHostnameWarning() throws Exception {
    Path config = Path.of("src", "main", "resources", "log4j2.properties").toAbsolutePath();
    Path raw = Files.createDirectories(dir.resolve("raw"));
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder pb =
        ChildJvm.of(
            List.of("-Dlog4j2.configurationFile=" + config.toUri()),
            LogConfigChild.class.getName(),
            List.of("flatten", "--raw", raw.toString(), "--lake", dir.resolve("lake").toString()));
    pb.redirectErrorStream(false)
        .redirectOutput(dir.resolve("stdout.txt").toFile())
        .redirectError(err.toFile());
    Process p = pb.start();
    try {
      assertTrue(p.waitFor(3, TimeUnit.MINUTES), "child JVM did not finish");
    } finally {
      p.destroyForcibly();
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), stderr);
    assertTrue(stderr.contains("another Utils warning that must stay visible"), stderr);
    assertFalse(stderr.contains("loopback address"), stderr);
    assertFalse(stderr.contains("SPARK_LOCAL_IP"), stderr);
    assertTrue(stderr.contains("INFO"), "the job's own info lines stay: " + stderr);
  }
}
