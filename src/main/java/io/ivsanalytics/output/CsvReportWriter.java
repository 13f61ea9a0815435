package io.ivsanalytics.output;

import io.ivsanalytics.model.report.ReportTable;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes a {@link ReportTable} as CSV: RFC 4180 (CRLF line ends, fields quoted only when needed),
 * UTF-8 without BOM, one header row. Counts are plain integers, rates and other fractions have 4
 * decimals, changes in percentage points 2 (Locale.ROOT), an empty cell is an empty field. A text
 * cell that a spreadsheet would run as a formula (starting with = + - @, tab or CR, and not simply
 * a number) is prefixed with a single quote; numbers are never altered.
 */
public final class CsvReportWriter {
  static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  public static Path write(ReportTable table, Path dir) {
    Path file = dir.resolve(table.fileName());
    try {
      Files.writeString(file, toCsv(table), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  public static String toCsv(ReportTable table) {
    StringWriter out = new StringWriter();
    try (CSVPrinter p = new CSVPrinter(out, FORMAT)) {
      p.printRecord(table.columns());
      for (List<Object> row : table.rows()) {
        List<String> cells = new ArrayList<>(row.size());
        for (int i = 0; i < row.size(); i++) {
          cells.add(cell(table.columns().get(i), row.get(i)));
        }
        p.printRecord(cells);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * The CSV text of a cell of {@code column}: changes in percentage points ({@code *_pp}) have 2
   * decimals.
   */
  public static String cell(String column, Object v) {
    if (column.endsWith("_pp") && (v instanceof Double || v instanceof Float)) {
      String s = String.format(Locale.ROOT, "%.2f", ((Number) v).doubleValue());
      return s.equals("-0.00") ? "0.00" : s;
    }
    return cell(v);
  }

  /** The CSV text of one typed cell. */
  public static String cell(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double || v instanceof Float) {
      return String.format(Locale.ROOT, "%.4f", ((Number) v).doubleValue());
    }
    if (v instanceof Number) {
      return v.toString();
    }
    return neutralise(v.toString());
  }

  /** Prefixes a single quote to text a spreadsheet would evaluate as a formula. */
  public static String neutralise(String s) {
    if (s.isEmpty()) {
      return s;
    }
    char c = s.charAt(0);
    boolean risky = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    if (risky && !NUMBER.matcher(s).matches()) {
      return "'" + s;
    }
    return s;
  }

  private CsvReportWriter() {}
}
