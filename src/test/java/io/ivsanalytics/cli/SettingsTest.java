package io.ivsanalytics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @TempDir Path dir;

  @Test
  void unknownKeyNamesFileLineAndKey() throws Exception {
    Path f = dir.resolve("bad.properties");
    Files.writeString(f, "# c\nquota.tps = 5\nquota.tsp = 7\n", StandardCharsets.UTF_8);
    Settings.ConfigException e = assertThrows(Settings.ConfigException.class, () -> Settings.load(f, Map.of()));
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    assertTrue(e.getMessage().contains("'quota.tsp'"), e.getMessage());
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void environmentOverridesFileAndFileOverridesDefault() throws Exception {
    Path f = dir.resolve("ok.properties");
    Files.writeString(f, "\uFEFFquota.tps = 7\nsmtp.port=2525\n", StandardCharsets.UTF_8);
    Settings s = Settings.load(f, Map.of("IVS_ANALYTICS_SMTP_PORT", "25"));
    assertEquals(7, s.getInt("quota.tps"));
    assertEquals(25, s.getInt("smtp.port"));
    assertEquals("true", s.get("smtp.starttls"));
    assertEquals("9", s.get("quota.tps", "9"));
  }

  @Test
  void badNumberNamesKeyAndValue() throws Exception {
    Path f = dir.resolve("n.properties");
    Files.writeString(f, "quota.tps = five\n", StandardCharsets.UTF_8);
    Settings.ConfigException e =
        assertThrows(Settings.ConfigException.class, () -> Settings.load(f, Map.of()).getInt("quota.tps"));
    assertTrue(e.getMessage().contains("'five'"), e.getMessage());
  }
}
