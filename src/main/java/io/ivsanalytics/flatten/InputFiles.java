package io.ivsanalytics.flatten;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Finds the response files under the inputs (files or directories, walked recursively; local
 * paths or any Hadoop file system such as {@code s3://}). Taken: {@code *.json}, {@code *.jsonl},
 * {@code *.ndjson}, each optionally {@code .gz}. Skipped: names starting with {@code .} or {@code
 * _} (Spark/Hadoop markers, checksums). A directory named {@code dt=YYYY-MM-DD} (the raw archive
 * layout) outside {@code [from, to)} is not entered.
 */
public final class InputFiles {
  /**
   * One input file; {@code index} is its position in the run's sorted file list. A class, not a
   * record: it travels to executors through Kryo, which cannot build records.
   */
  public static final class InputFile implements Serializable {
    private final String path;
    private final long length;
    private final long modificationTime;
    private final int index;

    public InputFile(String path, long length, long modificationTime, int index) {
      this.path = path;
      this.length = length;
      this.modificationTime = modificationTime;
      this.index = index;
    }

    public String path() {
      return path;
    }

    public long length() {
      return length;
    }

    public long modificationTime() {
      return modificationTime;
    }

    public int index() {
      return index;
    }

    @Override
    public String toString() {
      return path;
    }

    boolean gzip() {
      return path.toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    /** JSON lines by name: every line is one response, whatever the first line looks like. */
    boolean jsonLines() {
      String n = path.toLowerCase(Locale.ROOT);
      return n.endsWith(".jsonl") || n.endsWith(".jsonl.gz") || n.endsWith(".ndjson")
          || n.endsWith(".ndjson.gz");
    }
  }

  private static final List<String> SUFFIXES =
      List.of(".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz");

  /**
   * Lists the files, sorted by path (so record ids and tie-breaks are stable across runs).
   *
   * @throws IllegalArgumentException an input that does not exist (the message names it)
   */
  public static List<InputFile> list(Configuration conf, List<String> inputs, LocalDate from, LocalDate to) {
    Map<String, FileStatus> found = new TreeMap<>();
    for (String input : inputs) {
      Path p = new Path(input);
      try {
        FileSystem fs = p.getFileSystem(conf);
        FileStatus st;
        try {
          st = fs.getFileStatus(p);
        } catch (FileNotFoundException e) {
          throw new IllegalArgumentException("input not found: " + input);
        }
        if (st.isDirectory()) {
          walk(fs, st, from, to, found);
        } else {
          found.put(st.getPath().toString(), st);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list input " + input + ": " + e.getMessage(), e);
      }
    }
    List<InputFile> out = new ArrayList<>(found.size());
    for (FileStatus st : found.values()) {
      out.add(new InputFile(st.getPath().toString(), st.getLen(), st.getModificationTime(), out.size()));
    }
    return out;
  }

  private static void walk(FileSystem fs, FileStatus dir, LocalDate from, LocalDate to, Map<String, FileStatus> out)
      throws IOException {
    for (FileStatus st : fs.listStatus(dir.getPath())) {
      String name = st.getPath().getName();
      if (name.startsWith(".") || name.startsWith("_")) {
        continue;
      }
      if (st.isDirectory()) {
        if (inWindow(name, from, to)) {
          walk(fs, st, from, to, out);
        }
      } else if (accepted(name)) {
        out.put(st.getPath().toString(), st);
      }
    }
  }

  static boolean accepted(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return SUFFIXES.stream().anyMatch(n::endsWith);
  }

  /** A {@code dt=YYYY-MM-DD} directory is entered only when its date is in [from, to). */
  static boolean inWindow(String dirName, LocalDate from, LocalDate to) {
    if (!dirName.startsWith("dt=")) {
      return true;
    }
    LocalDate d;
    try {
      d = LocalDate.parse(dirName.substring(3));
    } catch (DateTimeParseException e) {
      return true;
    }
    return (from == null || !d.isBefore(from)) && (to == null || d.isBefore(to));
  }

  /**
   * Splits the files into at most {@code slots} groups of similar total size (largest first, each
   * to the lightest group), so one task does not get all the big files.
   */
  static List<List<InputFile>> balance(List<InputFile> files, int slots) {
    int n = Math.max(1, Math.min(slots, files.size()));
    List<List<InputFile>> groups = new ArrayList<>(n);
    long[] load = new long[n];
    for (int i = 0; i < n; i++) {
      groups.add(new ArrayList<>());
    }
    List<InputFile> bySize = new ArrayList<>(files);
    bySize.sort(Comparator.comparingLong(InputFile::length).reversed().thenComparing(InputFile::path));
    for (InputFile f : bySize) {
      int best = 0;
      for (int i = 1; i < n; i++) {
        if (load[i] < load[best]) {
          best = i;
        }
      }
      groups.get(best).add(f);
      load[best] += Math.max(1, f.length());
    }
    groups.removeIf(List::isEmpty);
    return groups;
  }

  private InputFiles() {}
}
