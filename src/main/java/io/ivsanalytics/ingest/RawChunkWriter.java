package io.ivsanalytics.ingest;

import io.ivsanalytics.lake.LakeFs;
import io.ivsanalytics.model.LakePaths;
import io.ivsanalytics.model.RawArchive;
import io.ivsanalytics.model.Schemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one worker's archive lines as it goes. The worker's k-th id belongs to chunk {@code k /
 * chunkSize}; a chunk is one file per dt named {@code <runId>-p<partition>-<worker>-c<chunk>}, so a
 * retried or speculative task writes the same names and replaces rather than duplicates. The open
 * chunk is also rewritten every {@code flushMillis}, so a killed run keeps what it fetched. Each
 * file is written whole through {@link LakeFs#writeFile} (one PUT on S3).
 */
final class RawChunkWriter implements AutoCloseable {
  private final LakeFs fs;
  private final String rawRoot;
  private final String prefix;
  private final int chunkSize;
  private final long flushMillis;
  private final LongSupplier millisClock;
  private final Map<String, List<byte[]>> linesByDt = new TreeMap<>();
  private int chunk = -1;
  private boolean dirty;
  private long lastFlush;
  private int filesWritten;

  RawChunkWriter(
      LakeFs fs,
      String lakeRoot,
      String runId,
      int partition,
      String worker,
      int chunkSize,
      long flushMillis,
      LongSupplier millisClock) {
    this.fs = fs;
    this.rawRoot = RawArchive.dir(lakeRoot);
    this.prefix = String.format(Locale.ROOT, "%s-p%05d-%s", runId, partition, worker);
    this.chunkSize = chunkSize;
    this.flushMillis = flushMillis;
    this.millisClock = millisClock;
    this.lastFlush = millisClock.getAsLong();
  }

  /**
   * Removes the raw files an earlier attempt of this task wrote in this run. A retried task fetches
   * all its ids again and writes its own files; an id that the earlier attempt archived and this
   * one cannot fetch must then end only as an error row, never also in the archive. Called once at
   * the start of every attempt after the first (attempts of one task never run at the same time
   * while speculation is off).
   *
   * @return how many files were removed
   */
  static int removeEarlierAttempts(LakeFs fs, String lakeRoot, String runId, int partition) {
    String rawRoot = RawArchive.dir(lakeRoot);
    String taskPrefix = String.format(Locale.ROOT, "%s-p%05d-", runId, partition);
    int removed = 0;
    try {
      if (!fs.isDirectory(rawRoot)) {
        return 0;
      }
      for (String dtDir : fs.listNames(rawRoot)) {
        String dir = rawRoot + "/" + dtDir;
        if (!dtDir.startsWith(Schemas.DT + "=") || !fs.isDirectory(dir)) {
          continue;
        }
        for (String name : fs.listNames(dir)) {
          if (name.startsWith(taskPrefix)) {
            fs.delete(dir + "/" + name);
            removed++;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot remove earlier attempts' files of task " + partition + " under " + rawRoot, e);
    }
    return removed;
  }

  /** Adds the archive line of the worker's {@code index}-th id (indexes only grow). */
  void add(int index, String dt, byte[] line) {
    int c = index / chunkSize;
    if (c != chunk) {
      flush();
      linesByDt.clear();
      chunk = c;
    }
    linesByDt.computeIfAbsent(dt, k -> new ArrayList<>()).add(line);
    dirty = true;
    if (millisClock.getAsLong() - lastFlush >= flushMillis) {
      flush();
    }
  }

  void flush() {
    lastFlush = millisClock.getAsLong();
    if (!dirty) {
      return;
    }
    String name = String.format(Locale.ROOT, "%s-c%05d%s", prefix, chunk, RawArchive.FILE_SUFFIX);
    try {
      for (Map.Entry<String, List<byte[]>> e : linesByDt.entrySet()) {
        fs.writeFile(LakePaths.partition(rawRoot, e.getKey()), name, gzip(e.getValue()));
        filesWritten++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write raw archive under " + rawRoot, e);
    }
    dirty = false;
  }

  int filesWritten() {
    return filesWritten;
  }

  private static byte[] gzip(List<byte[]> lines) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      for (byte[] line : lines) {
        gz.write(line);
        gz.write('\n');
      }
    }
    return bytes.toByteArray();
  }

  @Override
  public void close() {
    flush();
  }
}
