package io.ivsanalytics.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a report run produced: the window, totals, findings and files. Written next to the
 * reports as {@code summary.json}; the weekly email is built from it.
 *
 * @param from first day of the window (UTC, inclusive)
 * @param to day after the window (exclusive)
 * @param fetchErrorsByCode fetch errors per error code, over {@code fetchErrorsScope}
 * @param tables the three contract reports (takeover, codec, conformance), for the email body
 */
public record ReportSummary(
    String from,
    String to,
    String windowLabel,
    String generatedAt,
    long sessions,
    long channels,
    long liveSessions,
    long videoTracks,
    long audioTracks,
    Map<String, Long> fetchErrorsByCode,
    String fetchErrorsScope,
    List<String> findings,
    List<String> files,
    Map<String, ReportTable> tables) {

  public static final String FILE = "summary.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public long fetchErrors() {
    return fetchErrorsByCode.values().stream().mapToLong(Long::longValue).sum();
  }

  public void write(Path dir) {
    try {
      JSON.writeValue(dir.resolve(FILE).toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
    }
  }

  /** Reads {@code dir/summary.json}; a missing file is an {@link IllegalArgumentException}. */
  public static ReportSummary read(Path dir) {
    Path f = dir.resolve(FILE);
    try {
      return JSON.readValue(Files.readAllBytes(f), ReportSummary.class);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "no " + FILE + " in " + dir + ": not a report folder (run `ivs-analytics report` first)");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }
}
