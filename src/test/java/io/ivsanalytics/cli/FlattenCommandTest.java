package io.ivsanalytics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlattenCommandTest {
  @TempDir Path tmp;

  @BeforeAll
  static void spark() {
    TestSpark.session();
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private static String fixture(String name) throws Exception {
    try (var in = FlattenCommandTest.class.getResourceAsStream("/fixtures/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void flattensTheLakesRawArchiveByDefaultAndPrintsRowsPerTable() throws Exception {
    Path lake = tmp.resolve("lake");
    Path day = Files.createDirectories(lake.resolve("raw/dt=2024-05-01"));
    Files.writeString(
        day.resolve("part-0.jsonl"),
        fixture("archive/dt=2024-05-01/part-00000.jsonl"),
        StandardCharsets.UTF_8);
    Run r = run("flatten", "--lake", lake.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("sessions             1 rows"), r.out());
    assertTrue(r.out().contains("events               2 rows"), r.out());
    assertTrue(r.out().contains("malformed inputs     4"), r.out());
    assertTrue(Files.isDirectory(lake.resolve("sessions/dt=2024-05-01")));
  }

  @Test
  void windowSkipsRawDaysOutsideIt() throws Exception {
    Path lake = tmp.resolve("lake");
    Path day = Files.createDirectories(lake.resolve("raw/dt=2024-05-01"));
    Files.writeString(
        day.resolve("part-0.jsonl"),
        fixture("archive/dt=2024-05-01/part-00000.jsonl"),
        StandardCharsets.UTF_8);
    Path docs = Files.createDirectories(tmp.resolve("docs"));
    Files.writeString(
        docs.resolve("multitrack.json"), fixture("multitrack.json"), StandardCharsets.UTF_8);
    Run r =
        run(
            "flatten",
            "--raw",
            lake.resolve("raw").toString(),
            "--raw",
            docs.toString(),
            "--lake",
            lake.toString(),
            "--from",
            "2024-03-01",
            "--to",
            "2024-04-01");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("sessions             1 rows"), r.out());
    assertTrue(r.out().contains("malformed inputs     0"), r.out());
    assertTrue(Files.isDirectory(lake.resolve("sessions/dt=2024-03-09")));
  }

  @Test
  void badArgumentsExitWithUsageCodeNamingTheValue() {
    Run missing =
        run(
            "flatten",
            "--raw",
            tmp.resolve("nope").toString(),
            "--lake",
            tmp.resolve("lake").toString());
    assertEquals(Main.EXIT_USAGE, missing.code());
    assertTrue(missing.err().contains("input not found: " + tmp.resolve("nope")), missing.err());
    Run date = run("flatten", "--lake", tmp.toString(), "--from", "2024-13-01");
    assertEquals(Main.EXIT_USAGE, date.code());
    assertTrue(date.err().contains("'2024-13-01'"), date.err());
  }
}
