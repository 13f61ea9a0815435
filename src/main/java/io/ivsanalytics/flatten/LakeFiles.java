package io.ivsanalytics.flatten;

import io.ivsanalytics.lake.LakeFs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;

/**
 * The lake file operations of a flatten run, on {@link LakeFs}: a failure is an {@link
 * UncheckedIOException} naming the path, so the stage's steps read as plain calls.
 */
final class LakeFiles {
  private final LakeFs fs;

  LakeFiles(LakeFs fs) {
    this.fs = fs;
  }

  /** See {@link LakeFs#dataFiles}. */
  List<String> dataFiles(String dir) {
    try {
      return fs.dataFiles(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** The entries of a directory, sorted by name; empty when it does not exist. */
  List<FileStatus> list(String dir) {
    try {
      return fs.list(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  boolean exists(String path) {
    try {
      return fs.exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + path, e);
    }
  }

  void delete(String path) {
    try {
      fs.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }

  void deleteIfEmpty(String dir) {
    try {
      fs.deleteIfEmpty(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + dir, e);
    }
  }

  /** The last segment of a path. */
  static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
