package io.ivsanalytics.flatten;

import io.ivsanalytics.lake.LakeFs;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Finds the response files under the inputs (files or directories, walked recursively; local paths
 * or any Hadoop file system such as {@code s3://}). Taken: {@code *.json}, {@code *.jsonl}, {@code
 * *.ndjson}, each optionally {@code .gz}. Skipped: names starting with {@code .} or {@code _}
 * (Spark/Hadoop markers, checksums). A directory named {@code dt=YYYY-MM-DD} (the raw archive
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
      return n.endsWith(".jsonl")
          || n.endsWith(".jsonl.gz")
          || n.endsWith(".ndjson")
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
  public static List<InputFile> list(
      LakeFs lakeFs, List<String> inputs, LocalDate from, LocalDate to) {
    Map<String, FileStatus> found = new TreeMap<>();
    for (String input : inputs) {
      Path p = new Path(input);
      try {
        FileSystem fs = lakeFs.fileSystem(input);
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
      out.add(
          new InputFile(
              st.getPath().toString(), st.getLen(), st.getModificationTime(), out.size()));
    }
    return out;
  }

  private static void walk(
      FileSystem fs, FileStatus dir, LocalDate from, LocalDate to, Map<String, FileStatus> out)
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
   * Splits the files, in path order, into at most {@code slots} runs of consecutive files of
   * similar total size. Consecutive files of the raw archive share their {@code dt=} directory, so
   * each task writes few table partitions: fewer, larger Parquet files.
   */
  static List<List<InputFile>> balance(List<InputFile> files, int slots) {
    int n = Math.max(1, Math.min(slots, files.size()));
    List<InputFile> byPath = new ArrayList<>(files);
    byPath.sort(Comparator.comparing(InputFile::path));
    long total = 0;
    for (InputFile f : byPath) {
      total += Math.max(1, f.length());
    }
    List<List<InputFile>> groups = new ArrayList<>(n);
    List<InputFile> current = new ArrayList<>();
    long done = 0;
    for (int i = 0; i < byPath.size(); i++) {
      InputFile f = byPath.get(i);
      current.add(f);
      done += Math.max(1, f.length());
      int left = byPath.size() - i - 1;
      int groupsLeft = n - groups.size() - 1;
      boolean full = done * n >= total * (groups.size() + 1);
      if ((full && left >= groupsLeft) || left == groupsLeft) {
        groups.add(current);
        current = new ArrayList<>();
      }
    }
    if (!current.isEmpty()) {
      groups.add(current);
    }
    return groups;
  }

  /** The groups whose files hold the given record ids (file index in the high 32 bits). */
  static Set<Integer> groupsOf(List<List<InputFile>> groups, long[] recordIds) {
    Map<Integer, Integer> groupOfFile = new HashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      for (InputFile f : groups.get(g)) {
        groupOfFile.put(f.index(), g);
      }
    }
    Set<Integer> out = new TreeSet<>();
    for (long id : recordIds) {
      out.add(groupOfFile.get((int) (id >>> 32)));
    }
    return out;
  }

  private InputFiles() {}
}
