package io.ivsanalytics.cli;

import io.ivsanalytics.config.Settings;
import picocli.CommandLine.Option;

/** {@code --conf FILE}: the settings file, declared once for every command that reads settings. */
public final class ConfOption {
  @Option(
      names = "--conf",
      paramLabel = "FILE",
      description = "Settings file (default: conf/ivs-analytics.properties).")
  String conf;

  /** The settings of {@code --conf}, else of the default file. */
  Settings settings() {
    return Settings.loadFrom(conf);
  }
}
