package io.ivsanalytics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.lake.LocalFiles;
import io.ivsanalytics.simulator.RawArchiveGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jobs/ivs-analytics, run as a user runs it: a command's first run records its class archive (not a
 * run asking for its usage), the next runs load the command's classes from it, the output is the
 * same and says nothing about the archive, and a run that fails keeps no archive.
 */
class LauncherTest {
  private static final Path CDS = Path.of("target", "cds");

  @TempDir Path tmp;

  @Test
  void aCommandsFirstRunRecordsItsClassArchiveAndLaterRunsMapIt()
      throws IOException, InterruptedException {
    // The classes were just built by Maven: the launcher must not build again. It needs the
    // runtime class path (with Spark), which a build of the cluster profile does not write.
    if (!Files.isRegularFile(Path.of("target", "runtime-classpath.txt"))) {
      Result cp =
          run(List.of("mvn", "-q", "-B", "-o", "dependency:build-classpath@runtime-classpath"));
      if (cp.code != 0) {
        cp = run(List.of("mvn", "-q", "-B", "dependency:build-classpath@runtime-classpath"));
      }
      assertEquals(0, cp.code, cp.output);
    }
    Path stamp = Path.of("target", "classes", ".built");
    if (!Files.exists(stamp)) {
      Files.createFile(stamp);
    }
    Files.setLastModifiedTime(stamp, FileTime.from(Instant.now()));
    LocalFiles.deleteTree(CDS);

    Path raw =
        RawArchiveGenerator.generate(
                tmp.resolve("archive"),
                30,
                3,
                RawArchiveGenerator.Options.defaults()
                    .withAnchor(Instant.parse("2024-06-01T00:00:00Z"))
                    .withDays(1))
            .rawDir();
    String[] flatten = {
      "flatten", "--raw", raw.toString(), "--lake", tmp.resolve("lake").toString()
    };
    // Its usage is not the command's work: a first run asking for it records no archive.
    Result help = launch(Map.of(), "flatten", "--help");
    assertEquals(0, help.code, help.output);
    assertTrue(help.output.contains("--raw"), help.output);
    assertFalse(Files.exists(CDS.resolve("flatten.jsa")), "no archive from --help");
    Result first = launch(Map.of(), flatten);
    assertEquals(0, first.code, first.output);
    assertTrue(Files.isRegularFile(CDS.resolve("flatten.jsa")), "archive recorded");
    assertTrue(first.output.contains("sessions             30 rows"), first.output);

    Path loads = Files.createTempFile("launcher-class-load", ".log");
    try {
      Result mapped =
          launch(Map.of("IVS_ANALYTICS_JAVA_OPTS", "-Xlog:class+load=info:file=" + loads), flatten);
      assertEquals(0, mapped.code, mapped.output);
      assertEquals(summary(first.output), summary(mapped.output));
      String loaded = Files.readString(loads, StandardCharsets.UTF_8);
      assertTrue(
          loaded.contains("io.ivsanalytics.cli.Main source: shared objects file (top)"),
          "the command's classes come from its archive");
    } finally {
      Files.deleteIfExists(loads);
    }
    assertFalse(first.output.toLowerCase(java.util.Locale.ROOT).contains("cds"), first.output);

    // A flight recording (a class file load hook) runs without the archive: Java 17 can crash
    // mapping one then.
    Path recording = Files.createTempFile("launcher", ".jfr");
    try {
      Result recorded =
          launch(
              Map.of("IVS_ANALYTICS_JAVA_OPTS", "-XX:StartFlightRecording=filename=" + recording),
              flatten);
      assertEquals(0, recorded.code, recorded.output);
    } finally {
      Files.deleteIfExists(recording);
    }

    Result failed = launch(Map.of(), "report", "--lake", "target/no-such-lake-for-launcher-test");
    assertNotEquals(0, failed.code, failed.output);
    try (Stream<Path> s = Files.list(CDS)) {
      List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(List.of("flatten.jsa"), names, "a failed run keeps no archive, no leftover");
    }
  }

  private record Result(int code, String output) {}

  /** The command's summary: its output without the timestamped log lines. */
  private static List<String> summary(String output) {
    return output
        .lines()
        .map(l -> l.replaceAll("\u001B\\[[0-9;]*m", ""))
        .filter(l -> !l.matches("^\\d\\d:\\d\\d:.*"))
        .toList();
  }

  private static Result launch(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("jobs/ivs-analytics"));
    command.addAll(List.of(args));
    return run(command, env);
  }

  private static Result run(List<String> command) throws IOException, InterruptedException {
    return run(command, Map.of());
  }

  private static Result run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("IVS_ANALYTICS_MAIN");
    pb.environment().remove("IVS_ANALYTICS_CDS");
    pb.environment().remove("IVS_ANALYTICS_JAVA_OPTS");
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("did not end: " + command);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
