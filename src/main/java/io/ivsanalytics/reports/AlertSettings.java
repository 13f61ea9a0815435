package io.ivsanalytics.reports;

import io.ivsanalytics.config.Settings;
import io.ivsanalytics.model.report.AlertThresholds;
import java.util.Locale;

/** Reads the {@link AlertThresholds} from the settings ({@code alert.*}) and checks them. */
public final class AlertSettings {

  /**
   * Reads and checks the four keys; a bad value is a {@link Settings.ConfigException} naming key
   * and value.
   */
  public static AlertThresholds from(Settings settings) {
    return new AlertThresholds(
        rate(settings, AlertThresholds.FAILURE_RATE_MAX),
        rate(settings, AlertThresholds.CONFORMANCE_RATE_MIN),
        nonNegative(settings, AlertThresholds.CHANGE_PP_MAX),
        minSamples(settings));
  }

  private static Double rate(Settings settings, String key) {
    Double v = number(settings, key);
    if (v != null && (v < 0 || v > 1)) {
      throw bad(key, settings.get(key), "a rate between 0 and 1 (0.05 = 5%)");
    }
    return v;
  }

  private static Double nonNegative(Settings settings, String key) {
    Double v = number(settings, key);
    if (v != null && v < 0) {
      throw bad(key, settings.get(key), "a number of percentage points, 0 or more");
    }
    return v;
  }

  private static long minSamples(Settings settings) {
    String v = settings.get(AlertThresholds.MIN_SAMPLES);
    try {
      long n = Long.parseLong(v);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad(AlertThresholds.MIN_SAMPLES, v, "a whole number, 1 or more");
  }

  private static Double number(Settings settings, String key) {
    String v = settings.get(key);
    if (v == null) {
      return null;
    }
    try {
      double d = Double.parseDouble(v);
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad(key, v, "a number");
  }

  private static Settings.ConfigException bad(String key, String value, String expected) {
    return new Settings.ConfigException(
        String.format(
            Locale.ROOT,
            "%s (or %s) must be %s, got '%s'",
            key,
            Settings.envName(key),
            expected,
            value));
  }

  private AlertSettings() {}
}
