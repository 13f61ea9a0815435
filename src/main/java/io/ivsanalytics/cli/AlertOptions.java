package io.ivsanalytics.cli;

import io.ivsanalytics.config.Settings;
import io.ivsanalytics.model.report.AlertThresholds;
import io.ivsanalytics.reports.AlertSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The alert options of {@code report} and {@code run}: thresholds that override the {@code alert.*}
 * settings (environment, conf file), and {@code --fail-on-alert}.
 */
public final class AlertOptions {
  /** Exit code of {@code report} and {@code run} with --fail-on-alert when an alert fired. */
  public static final int EXIT_ALERT = 3;

  @Option(
      names = "--alert-failure-rate-max",
      paramLabel = "RATE",
      description =
          "alert when a takeover failure rate is above RATE (0..1; setting "
              + AlertThresholds.FAILURE_RATE_MAX
              + ")")
  String failureRateMax;

  @Option(
      names = "--alert-conformance-rate-min",
      paramLabel = "RATE",
      description =
          "alert when a bitrate conformance rate is below RATE (0..1; setting "
              + AlertThresholds.CONFORMANCE_RATE_MIN
              + ")")
  String conformanceRateMin;

  @Option(
      names = "--alert-change-pp-max",
      paramLabel = "PP",
      description =
          "alert when either rate changed by more than PP percentage points since the previous"
              + " window (setting "
              + AlertThresholds.CHANGE_PP_MAX
              + ")")
  String changePpMax;

  @Option(
      names = "--alert-min-samples",
      paramLabel = "N",
      description =
          "rates over fewer than N attempts or tracks never alert and are never a headline (setting"
              + " "
              + AlertThresholds.MIN_SAMPLES
              + ", default 20)")
  String minSamples;

  @Option(
      names = "--fail-on-alert",
      description = "exit with code 3 when an alert fired (after writing everything)")
  boolean failOnAlert;

  /** {@code settings} with the thresholds given on the command line, checked. */
  Settings apply(Settings settings) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put(AlertThresholds.FAILURE_RATE_MAX, failureRateMax);
    values.put(AlertThresholds.CONFORMANCE_RATE_MIN, conformanceRateMin);
    values.put(AlertThresholds.CHANGE_PP_MAX, changePpMax);
    values.put(AlertThresholds.MIN_SAMPLES, minSamples);
    Settings s = settings.withOptions(values);
    AlertSettings.from(s);
    return s;
  }

  /**
   * {@code code} unchanged, or {@link #EXIT_ALERT} when it is 0, alerts fired and --fail-on-alert
   * is on.
   */
  int exitCode(int code, int alerts) {
    return code == 0 && failOnAlert && alerts > 0 ? EXIT_ALERT : code;
  }
}
