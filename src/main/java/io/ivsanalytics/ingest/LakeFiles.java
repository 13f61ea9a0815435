package io.ivsanalytics.ingest;

import io.ivsanalytics.output.LocalFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Whole-file writes under the lake root: written to a hidden temporary name (ignored by Spark
 * readers) and renamed into place, so a reader never sees a partial file and a rewrite of the
 * same name replaces it. Local paths use an atomic move; other schemes go through Hadoop.
 */
final class LakeFiles {

  /** Writes {@code dir/name} with the bytes produced by {@code body}. */
  static void writeAtomically(String dir, String name, byte[] bytes) throws IOException {
    String tmpName = "." + name + ".tmp-" + Thread.currentThread().getId() + "-" + System.nanoTime();
    if (isLocal(dir)) {
      Path d = localPath(dir);
      Files.createDirectories(d);
      Path tmp = d.resolve(tmpName);
      Files.write(tmp, bytes);
      Files.move(tmp, d.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    org.apache.hadoop.fs.Path d = new org.apache.hadoop.fs.Path(dir);
    FileSystem fs = d.getFileSystem(new Configuration());
    org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(d, tmpName);
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(d, name);
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(bytes);
    }
    fs.delete(target, false);
    if (!fs.rename(tmp, target)) {
      throw new IOException("cannot rename " + tmp + " to " + target);
    }
  }

  static boolean exists(String dir) throws IOException {
    if (isLocal(dir)) {
      return Files.isDirectory(localPath(dir));
    }
    org.apache.hadoop.fs.Path d = new org.apache.hadoop.fs.Path(dir);
    return d.getFileSystem(new Configuration()).exists(d);
  }

  static void deleteDir(String dir) throws IOException {
    if (isLocal(dir)) {
      LocalFiles.deleteTree(localPath(dir));
      return;
    }
    org.apache.hadoop.fs.Path d = new org.apache.hadoop.fs.Path(dir);
    d.getFileSystem(new Configuration()).delete(d, true);
  }

  /** No URI scheme (a plain path) or {@code file:}; {@code s3://}, {@code hdfs://} ... go through Hadoop. */
  static boolean isLocal(String dir) {
    return dir.startsWith("file:") || !SCHEME.matcher(dir).lookingAt();
  }

  private static final java.util.regex.Pattern SCHEME = java.util.regex.Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]+:/");

  private static Path localPath(String dir) {
    return dir.startsWith("file:") ? Path.of(URI.create(dir)) : Path.of(dir);
  }

  /** The lake root in a form every executor resolves the same way (absolute for local paths). */
  static String normalizeRoot(String lake) {
    if (isLocal(lake)) {
      return localPath(lake).toAbsolutePath().normalize().toString();
    }
    return lake.endsWith("/") ? lake.substring(0, lake.length() - 1) : lake;
  }

  private LakeFiles() {}
}
