package io.ivsanalytics.ingest;

import io.ivsanalytics.cli.Main.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The up-front check that the lake root can be written, so a run that could not keep its results
 * stops (exit code 2) before its first API call instead of after it. Local paths are created and
 * probed with a hidden file; other schemes ({@code s3://}) are left to the writes themselves.
 */
public final class WritableLake {

  /** Creates the local lake root if needed and proves a file can be written there. */
  public static void require(String lake) {
    if (lake == null || lake.isBlank() || !LakeFiles.isLocal(lake)) {
      return;
    }
    Path root = Path.of(LakeFiles.normalizeRoot(lake));
    try {
      if (Files.exists(root) && !Files.isDirectory(root)) {
        throw new UsageException("lake " + lake + " is not a directory");
      }
      Files.createDirectories(root);
      Path probe = Files.createTempFile(root, ".write-check-", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw new UsageException("lake " + lake + " is not writable: " + describe(e));
    }
  }

  private static String describe(IOException e) {
    String kind = e.getClass().getSimpleName().replace("Exception", "");
    return e.getMessage() == null ? kind : kind + " " + e.getMessage();
  }

  private WritableLake() {}
}
