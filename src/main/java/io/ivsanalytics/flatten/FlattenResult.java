package io.ivsanalytics.flatten;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one flatten run wrote: rows this run's input contributed to each table (after dedup; after
 * the run each of those sessions has exactly these rows in the tables), the malformed inputs (also
 * rows in {@code fetch_errors}; {@code fetchErrors} counts only the ones not already recorded by an
 * earlier run, {@code fetchErrorsInTable} every row the table holds, fetch's own included), copies
 * dropped (a session given more than once, or older than the lake's copy: the latest {@code
 * fetchedAt} kept), sessions outside the {@code [from, to)} window, fields kept with a fix (rounded
 * or nulled, see SessionParser), and the number of input files.
 */
public record FlattenResult(
    long sessions,
    long tracks,
    long events,
    long recordingSettings,
    long fetchErrors,
    long fetchErrorsInTable,
    long malformed,
    long duplicates,
    long outsideWindow,
    long oddFields,
    long files) {

  /** Rows per table directory name, in the order of docs/tables.md. */
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
    rowsPerTable()
        .forEach(
            (k, v) -> {
              if (!k.equals("fetch_errors")) {
                b.append(String.format(Locale.ROOT, "%-20s %,d rows%n", k, v));
              }
            });
    b.append(
        String.format(
            Locale.ROOT,
            "%-20s %,d rows in the table (%,d added for malformed inputs)%n",
            "fetch_errors",
            fetchErrorsInTable,
            fetchErrors));
    b.append(String.format(Locale.ROOT, "%-20s %,d%n", "input files", files));
    b.append(String.format(Locale.ROOT, "%-20s %,d%n", "malformed inputs", malformed));
    b.append(String.format(Locale.ROOT, "%-20s %,d%n", "duplicates dropped", duplicates));
    if (oddFields > 0) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-20s %,d (sessions kept, values rounded or nulled; see the log)%n",
              "odd fields",
              oddFields));
    }
    if (outsideWindow > 0) {
      b.append(String.format(Locale.ROOT, "%-20s %,d%n", "outside window", outsideWindow));
    }
    return b.toString();
  }
}
