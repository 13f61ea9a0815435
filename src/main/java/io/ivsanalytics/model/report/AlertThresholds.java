package io.ivsanalytics.model.report;

/**
 * Alert thresholds ({@code alert.*}, read by {@code reports.AlertSettings}: option, then {@code
 * IVS_ANALYTICS_<KEY>}, then the conf file, then the default). Rates are fractions like the CSV
 * rates (0.05 = 5 %); the change is in percentage points. An unset threshold never fires.
 *
 * @param failureRateMax fires for a row whose failure_rate is above it
 * @param conformanceRateMin fires for a row whose conformance_rate is below it
 * @param changePpMax fires for a row whose absolute change in either rate is above it
 * @param minSamples a row fires only when its denominator is at least this (for a change: in both
 *     windows)
 */
public record AlertThresholds(
    Double failureRateMax, Double conformanceRateMin, Double changePpMax, long minSamples) {
  public static final String FAILURE_RATE_MAX = "alert.takeover.failure.rate.max";
  public static final String CONFORMANCE_RATE_MIN = "alert.conformance.rate.min";
  public static final String CHANGE_PP_MAX = "alert.change.pp.max";
  public static final String MIN_SAMPLES = "alert.min.samples";

  public static AlertThresholds none() {
    return new AlertThresholds(null, null, null, 20);
  }
}
