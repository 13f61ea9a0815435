package io.ivsanalytics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.config.UsageException;
import io.ivsanalytics.simulator.FleetOptions;
import io.ivsanalytics.simulator.SimulatorConfig;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --anchor} takes a date or an instant, in {@code simulate} as in {@code generate}. */
class AnchorOptionTest {

  private static SimulatorConfig simulate(String... args) {
    SimulateCommand c = new SimulateCommand();
    new CommandLine(c).parseArgs(args);
    return c.config();
  }

  @Test
  void simulateTakesADateOrAnInstant() {
    assertEquals(
        Instant.parse("2024-05-06T00:00:00Z"), simulate("--anchor", "2024-05-06").fleet().anchor());
    assertEquals(
        Instant.parse("2024-05-06T12:00:00Z"),
        simulate("--anchor", "2024-05-06T12:00:00Z").fleet().anchor());
  }

  @Test
  void generateTakesADateOrAnInstant(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    assertEquals(
        0,
        Main.execute(
            "generate",
            "--sessions",
            "3",
            "--days",
            "1",
            "--anchor",
            "2024-05-06T12:00:00Z",
            "--out",
            dir.resolve("a").toString()));
    assertEquals(
        0,
        Main.execute(
            "generate",
            "--sessions",
            "3",
            "--days",
            "1",
            "--anchor",
            "2024-05-06",
            "--out",
            dir.resolve("b").toString()));
    assertEquals(
        Main.EXIT_USAGE,
        Main.execute(
            "generate",
            "--sessions",
            "3",
            "--anchor",
            "May 6",
            "--out",
            dir.resolve("c").toString()));
  }

  @Test
  void aBadAnchorNamesTheValue() {
    UsageException e =
        assertThrows(UsageException.class, () -> FleetOptions.parseAnchor("2024-05-32"));
    assertTrue(
        e.getMessage().contains("--anchor") && e.getMessage().contains("'2024-05-32'"),
        e.getMessage());
  }
}
