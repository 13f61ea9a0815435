package io.ivsanalytics.config;

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
    Settings.ConfigException e =
        assertThrows(Settings.ConfigException.class, () -> Settings.load(f, Map.of()));
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
  void alertThresholdsFollowOptionThenEnvironmentThenFileThenDefault() throws Exception {
    Path f = dir.resolve("alerts.properties");
    Files.writeString(
        f,
        "alert.takeover.failure.rate.max = 0.2\n"
            + "alert.conformance.rate.min = 0.9\n"
            + "alert.change.pp.max = 5\n",
        StandardCharsets.UTF_8);
    Settings s =
        Settings.load(
                f,
                Map.of(
                    "IVS_ANALYTICS_ALERT_CONFORMANCE_RATE_MIN",
                    "0.8",
                    "IVS_ANALYTICS_ALERT_CHANGE_PP_MAX",
                    "7"))
            .withOptions(java.util.Collections.singletonMap("alert.change.pp.max", "3"));
    assertEquals(
        new io.ivsanalytics.model.report.AlertThresholds(0.2, 0.8, 3.0, 20),
        io.ivsanalytics.reports.AlertSettings.from(s));
    Settings unset =
        Settings.load(f, Map.of())
            .withOptions(java.util.Collections.singletonMap("alert.min.samples", null));
    assertEquals(20, io.ivsanalytics.reports.AlertSettings.from(unset).minSamples());
    assertEquals(
        new io.ivsanalytics.model.report.AlertThresholds(null, null, null, 20),
        io.ivsanalytics.reports.AlertSettings.from(Settings.defaults()));
  }

  @Test
  void badAlertThresholdNamesKeyAndValue() {
    Settings.ConfigException e =
        assertThrows(
            Settings.ConfigException.class,
            () ->
                io.ivsanalytics.reports.AlertSettings.from(
                    Settings.defaults()
                        .withOptions(Map.of("alert.takeover.failure.rate.max", "15"))));
    assertTrue(
        e.getMessage().contains("alert.takeover.failure.rate.max")
            && e.getMessage().contains("'15'")
            && e.getMessage().contains("between 0 and 1"),
        e.getMessage());
    e =
        assertThrows(
            Settings.ConfigException.class,
            () ->
                io.ivsanalytics.reports.AlertSettings.from(
                    Settings.defaults().withOptions(Map.of("alert.min.samples", "0"))));
    assertTrue(
        e.getMessage().contains("alert.min.samples") && e.getMessage().contains("'0'"),
        e.getMessage());
  }

  @Test
  void badNumberNamesKeyAndValue() throws Exception {
    Path f = dir.resolve("n.properties");
    Files.writeString(f, "quota.tps = five\n", StandardCharsets.UTF_8);
    Settings.ConfigException e =
        assertThrows(
            Settings.ConfigException.class, () -> Settings.load(f, Map.of()).getInt("quota.tps"));
    assertTrue(e.getMessage().contains("'five'"), e.getMessage());
  }
}
