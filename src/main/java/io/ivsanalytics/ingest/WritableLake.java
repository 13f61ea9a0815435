package io.ivsanalytics.ingest;

import io.ivsanalytics.config.UsageException;
import io.ivsanalytics.lake.LakeFs;

/**
 * The up-front check that the lake root can be written, so a run that could not keep its results
 * stops (exit code 2) before its first API call instead of after it. The lake root is created where
 * directories are real, and a hidden probe file is written and deleted on any file system, {@code
 * s3a://} included.
 */
public final class WritableLake {

  /** Proves a file can be written under the lake root; a usage error naming the lake otherwise. */
  public static void require(LakeFs fs, String lake) {
    if (lake == null || lake.isBlank()) {
      return;
    }
    try {
      fs.probeWritable(lake);
    } catch (LakeFs.NotWritableException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private WritableLake() {}
}
