package io.ivsanalytics.reports;

import io.ivsanalytics.config.Settings;
import java.util.Locale;

/**
 * Alert thresholds from the settings ({@code alert.*}; option, then {@code IVS_ANALYTICS_<KEY>},
 * then the conf file, then the default). Rates are fractions like the CSV rates (0.05 = 5 %); the
 * change is in percentage points. An unset threshold never fires.
 *
 * @param failureRateMax fires for a row whose failure_rate is above it
 * @param conformanceRateMin fires for a row whose conformance_rate is below it
 * @param changePpMax fires for a row whose absolute change in either rate is above it
 * @param minSamples a row fires only when its denominator is at least this (for a change: in
 *     both windows)
 */
public record AlertThresholds(Double failureRateMax, Double conformanceRateMin, Double changePpMax, long minSamples) {
  public static final String FAILURE_RATE_MAX = "alert.takeover.failure.rate.max";
  public static final String CONFORMANCE_RATE_MIN = "alert.conformance.rate.min";
  public static final String CHANGE_PP_MAX = "alert.change.pp.max";
  public static final String MIN_SAMPLES = "alert.min.samples";

  /** Reads and checks the four keys; a bad value is a {@link Settings.ConfigException} naming key and value. */
  public static AlertThresholds from(Settings settings) {
    return new AlertThresholds(
        rate(settings, FAILURE_RATE_MAX),
        rate(settings, CONFORMANCE_RATE_MIN),
        nonNegative(settings, CHANGE_PP_MAX),
        minSamples(settings));
  }

  public static AlertThresholds none() {
    return new AlertThresholds(null, null, null, 20);
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
    String v = settings.get(MIN_SAMPLES);
    try {
      long n = Long.parseLong(v);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad(MIN_SAMPLES, v, "a whole number, 1 or more");
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
        String.format(Locale.ROOT, "%s (or %s) must be %s, got '%s'", key, Settings.envName(key), expected, value));
  }
}
