package io.ivsanalytics.model.report;

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
 * What a report run produced: the window, totals, findings and files. Written next to the reports
 * as {@code summary.json}; the weekly email is built from it.
 *
 * @param from first day of the window (UTC, inclusive)
 * @param to day after the window (exclusive)
 * @param fetchErrorsByCode fetch errors per error code, over {@code fetchErrorsScope}
 * @param tables the three contract reports (takeover, codec, conformance), for the email body
 * @param previousWindowLabel the previous window the rates are compared with
 * @param headlines the overall takeover failure and conformance rates with interval and change
 * @param alerts the thresholds that fired (empty when none did or none is set)
 * @param alertThresholds the thresholds in force
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
    Map<String, ReportTable> tables,
    String previousWindowLabel,
    List<Headline> headlines,
    List<Alert> alerts,
    AlertThresholds alertThresholds) {

  /**
   * An overall rate for the top of the page and the email: k of n, its Wilson 95 % interval, the
   * previous window's rate and the change in percentage points (null when either is missing).
   * {@code reliable} is false when n is under {@code alert.min.samples}.
   */
  public record Headline(
      String metric,
      String title,
      Double rate,
      long k,
      long n,
      Double ciLow,
      Double ciHigh,
      Double prev,
      Double changePp,
      boolean reliable) {}

  public static final String FILE = "summary.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
