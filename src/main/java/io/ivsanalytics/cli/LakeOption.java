package io.ivsanalytics.cli;

import io.ivsanalytics.config.Settings;
import picocli.CommandLine.Option;

/**
 * {@code --lake DIR}: the lake root, declared once for every command that reads or writes the lake.
 */
public final class LakeOption {
  @Option(
      names = "--lake",
      paramLabel = "DIR",
      description = "Lake root: a folder or a Hadoop URI (default: setting 'lake').")
  String lake;

  /** {@code --lake}, else the {@code lake} setting (null when neither is given). */
  String lake(Settings settings) {
    return settings.get("lake", lake);
  }
}
