package io.ivsanalytics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Usage errors found while parsing the command line exit with 2 and name the option, through Main.
 */
class UsageExitCodeTest {

  static void usage(String fragment, String... args) {
    MainRun r = MainRun.of(args);
    assertEquals(Main.EXIT_USAGE, r.code(), String.join(" ", args) + ": " + r.err());
    assertTrue(
        r.err().contains(fragment),
        String.join(" ", args) + " should name '" + fragment + "': " + r.err());
  }

  @Test
  void unknownOptionMissingValueAndRepeatedOptionExit2() {
    usage("--nope", "fetch", "--nope");
    usage("--bogus", "run", "--ids", "ids.txt", "--bogus");
    usage("--ids", "fetch", "--ids");
    usage("--to", "report", "--lake", "lake", "--from", "2024-05-01", "--to");
    usage("--lake", "fetch", "--ids", "a.txt", "--lake", "one", "--lake", "two");
    usage("--tps", "fetch", "--ids", "a.txt", "--tps", "5", "--tps", "6");
    usage("--tps", "fetch", "--ids", "a.txt", "--tps", "five");
    usage("nope", "nope");
  }

  @Test
  void helpAndVersionExit0() {
    MainRun help = MainRun.of("fetch", "--help");
    assertEquals(0, help.code(), help.err());
    assertTrue(help.out().contains("--ids"), help.out());
    assertEquals(0, MainRun.of("--version").code());
  }
}
