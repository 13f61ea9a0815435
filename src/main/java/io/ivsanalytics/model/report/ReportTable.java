package io.ivsanalytics.model.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One report: its file name, column names and rows of typed cells. A cell is a {@link String}, a
 * {@link Long}, a {@link Double} (a rate, 0..1) or null (empty). Writers format the cells; the
 * values stay typed so that numbers are never treated as text.
 */
public record ReportTable(String fileName, List<String> columns, List<List<Object>> rows) {

  public ReportTable {
    Objects.requireNonNull(fileName, "fileName");
    columns = List.copyOf(columns);
    List<List<Object>> copy = new ArrayList<>(rows.size());
    for (List<Object> r : rows) {
      if (r.size() != columns.size()) {
        throw new IllegalArgumentException(
            fileName + ": row has " + r.size() + " cells, expected " + columns.size());
      }
      copy.add(Collections.unmodifiableList(new ArrayList<>(r)));
    }
    rows = Collections.unmodifiableList(copy);
  }

  public int column(String name) {
    int i = columns.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(fileName + " has no column " + name);
    }
    return i;
  }

  public Object cell(List<Object> row, String column) {
    return row.get(column(column));
  }

  /** The value of a numeric cell as a long, 0 when empty. */
  public long longCell(List<Object> row, String column) {
    Object v = cell(row, column);
    return v == null ? 0L : ((Number) v).longValue();
  }
}
