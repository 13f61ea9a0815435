package io.ivsanalytics.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.config.Settings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BitrateLimitsTest {
  static final String HEADER =
      "channel_type,max_height_for_low_bitrate_px,low_max_bitrate_bps,max_bitrate_bps,max_long_side_px,max_short_side_px,max_fps\n";

  @Test
  void shippedConfigHasTheDocumentedIvsLimits() {
    BitrateLimits l = BitrateLimits.load(Path.of("conf", "bitrate-limits.csv"));
    assertEquals(
        java.util.Set.of("BASIC", "STANDARD", "ADVANCED_SD", "ADVANCED_HD"),
        l.byChannelType().keySet());
    BitrateLimits.ChannelLimits basic = l.get("BASIC");
    assertEquals(480, basic.maxHeightForLowBitrate());
    assertEquals(1_500_000L, basic.lowMaxBitrateBps());
    assertEquals(3_500_000L, basic.maxBitrateBps());
    assertEquals(1920, basic.maxLongSide());
    assertEquals(1080, basic.maxShortSide());
    assertEquals(60, basic.maxFps());
    for (String t : new String[] {"STANDARD", "ADVANCED_SD", "ADVANCED_HD"}) {
      assertEquals(8_500_000L, l.get(t).maxBitrateBps());
      assertNull(l.get(t).lowMaxBitrateBps());
    }
    assertNull(l.get("FUTURE"));
  }

  @Test
  void theJarCarriesTheShippedLimitsAndUsesThemWhenNoFileIsSet(
      @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    BitrateLimits file = BitrateLimits.load(Path.of("conf", "bitrate-limits.csv"));
    assertEquals(file, BitrateLimits.builtIn());
    assertEquals(
        file, BitrateLimits.load(Settings.defaults()), "no report.limits: the built-in limits");
    Path other =
        java.nio.file.Files.writeString(
            tmp.resolve("limits.csv"), HEADER + "BASIC,,,1000000,1280,720,30\n");
    Settings s =
        Settings.load(
            java.nio.file.Files.writeString(
                tmp.resolve("c.properties"), "report.limits = " + other + "\n"));
    assertEquals(
        java.util.Set.of("BASIC"),
        BitrateLimits.load(s).byChannelType().keySet(),
        "a file overrides");
  }

  @Test
  void badValueNamesFileLineAndValue() {
    Settings.ConfigException e =
        assertThrows(
            Settings.ConfigException.class,
            () ->
                BitrateLimits.parse(
                    "limits.csv",
                    "# comment\n" + HEADER + "BASIC,480,1500000,3.5Mbps,1920,1080,60\n"));
    assertTrue(e.getMessage().startsWith("limits.csv line 3:"), e.getMessage());
    assertTrue(e.getMessage().contains("max_bitrate_bps"), e.getMessage());
    assertTrue(e.getMessage().contains("'3.5Mbps'"), e.getMessage());
  }

  @Test
  void structuralErrorsAreReported() {
    assertMessage("line 1: header must be", "channel_type,max_bitrate\nBASIC,1\n");
    assertMessage("line 2: expected 7 fields, got 3", HEADER + "BASIC,1,2\n");
    assertMessage(
        "line 3: channel_type 'BASIC' is listed twice",
        HEADER + "BASIC,,,1,1,1,1\nBASIC,,,1,1,1,1\n");
    assertMessage(
        "must both be set or both be empty", HEADER + "BASIC,480,,3500000,1920,1080,60\n");
    assertMessage(
        "must be a whole positive number, got '-5'", HEADER + "BASIC,,,3500000,1920,1080,-5\n");
    assertMessage("empty", "");
  }

  private static void assertMessage(String part, String text) {
    Settings.ConfigException e =
        assertThrows(Settings.ConfigException.class, () -> BitrateLimits.parse("f.csv", text));
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
