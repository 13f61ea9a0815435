package io.ivsanalytics.flatten;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one flatten run wrote: rows this run's input contributed to each table (after dedup), the
 * malformed inputs (also rows in {@code fetch_errors}; {@code fetchErrors} counts only the ones not
 * already recorded by an earlier run), duplicates dropped (same session more than once; the
 * latest {@code fetchedAt} kept), sessions outside the {@code [from, to)} window, and the number
 * of input files.
 */
public record FlattenResult(
    long sessions,
    long tracks,
    long events,
    long recordingSettings,
    long fetchErrors,
    long malformed,
    long duplicates,
    long outsideWindow,
    long files) {

  /** Rows per table directory name, in SPEC order. */
  public Map<String, Long> rowsPerTable() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("sessions", sessions);
    m.put("tracks", tracks);
    m.put("events", events);
    m.put("recording_settings", recordingSettings);
    m.put("fetch_errors", fetchErrors);
    return m;
  }

  public String summary() {
    StringBuilder b = new StringBuilder();
    rowsPerTable().forEach((k, v) -> b.append(String.format(Locale.ROOT, "%-20s %,d rows%n", k, v)));
    b.append(String.format(Locale.ROOT, "%-20s %,d%n", "input files", files));
    b.append(String.format(Locale.ROOT, "%-20s %,d%n", "malformed inputs", malformed));
    b.append(String.format(Locale.ROOT, "%-20s %,d%n", "duplicates dropped", duplicates));
    if (outsideWindow > 0) {
      b.append(String.format(Locale.ROOT, "%-20s %,d%n", "outside window", outsideWindow));
    }
    return b.toString();
  }
}
