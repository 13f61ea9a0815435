package io.ivsanalytics.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ivsanalytics.model.report.ReportTable;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReportWriterTest {
  @Test
  void formulaLikeTextIsNeutralisedButNumbersStayNumbers() {
    assertEquals("'=1+2", CsvReportWriter.cell("=1+2"));
    assertEquals("'+cmd", CsvReportWriter.cell("+cmd"));
    assertEquals("'-ROGUE", CsvReportWriter.cell("-ROGUE"));
    assertEquals("'@SUM(A1)", CsvReportWriter.cell("@SUM(A1)"));
    assertEquals("'\tx", CsvReportWriter.cell("\tx"));
    assertEquals("'\rx", CsvReportWriter.cell("\rx"));
    assertEquals("'-1+2", CsvReportWriter.cell("-1+2"));
    assertEquals("-1", CsvReportWriter.cell(-1L));
    assertEquals("-1", CsvReportWriter.cell("-1"));
    assertEquals("-2.5000", CsvReportWriter.cell(-2.5));
    assertEquals("0.1250", CsvReportWriter.cell(0.125));
    assertEquals("", CsvReportWriter.cell(null));
    assertEquals("H.264", CsvReportWriter.cell("H.264"));
  }

  @Test
  void rfc4180WithCrlfAndQuotingOnlyWhenNeeded() {
    ReportTable t =
        new ReportTable(
            "t.csv",
            List.of("a", "b", "c"),
            List.of(
                Arrays.asList("x,y", "say \"hi\"", null), Arrays.asList("multi\nline", 3L, 0.5)));
    assertEquals(
        "a,b,c\r\n\"x,y\",\"say \"\"hi\"\"\",\r\n\"multi\nline\",3,0.5000\r\n",
        CsvReportWriter.toCsv(t));
  }
}
