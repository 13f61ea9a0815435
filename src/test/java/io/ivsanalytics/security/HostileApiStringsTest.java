package io.ivsanalytics.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsanalytics.TestSpark;
import io.ivsanalytics.config.Settings;
import io.ivsanalytics.flatten.FlattenStage;
import io.ivsanalytics.output.ReportFolder;
import io.ivsanalytics.reports.ReportStage;
import io.ivsanalytics.reports.TopChannelsReport;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strings that come from the IVS API (channel names, tags) travel flatten → report unchanged in the
 * lake, HTML-escaped in report.html and neutralised against formula injection in the CSVs.
 */
class HostileApiStringsTest {
  static final String SCRIPT = "<script>alert(1)</script>";
  static final String QUOTED_TAG = "say \"hi\" & 'bye' <b>";
  static final String FORMULA = "=HYPERLINK(\"http://evil.example\",\"x\")";
  static final String AT_FORMULA = "@SUM(1+1)*cmd|' /C calc'!A0";

  @TempDir Path dir;

  @Test
  void apiStringsAreEscapedInHtmlAndNeutralisedInCsv() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode template;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/complete.json")) {
      template = (ObjectNode) json.readTree(in);
    }
    Path raw = Files.createDirectories(dir.resolve("raw"));
    StringBuilder lines = new StringBuilder();
    String[][] channels = {
      {"aaaaAAAA0001", SCRIPT, "st-Hostile000000000000001"},
      {"aaaaAAAA0002", FORMULA, "st-Hostile000000000000002"}
    };
    for (String[] c : channels) {
      ObjectNode r = template.deepCopy();
      ObjectNode s = (ObjectNode) r.get("streamSession");
      ObjectNode ch = (ObjectNode) s.get("channel");
      ch.put("arn", "arn:aws:ivs:us-west-2:123456789012:channel/" + c[0]);
      ch.put("name", c[1]);
      ObjectNode tags = ch.putObject("tags");
      tags.put("note", QUOTED_TAG);
      tags.put("formula", AT_FORMULA);
      s.put("streamId", c[2]);
      r.put("fetchedAt", "2023-06-27T00:00:00Z");
      lines.append(json.writeValueAsString(r)).append('\n');
    }
    Files.writeString(raw.resolve("hostile.jsonl"), lines, StandardCharsets.UTF_8);
    Path lake = dir.resolve("lake");
    LocalDate from = LocalDate.parse("2023-06-26");
    LocalDate to = LocalDate.parse("2023-06-27");
    FlattenStage.run(TestSpark.session(), List.of(raw.toString()), lake.toString(), from, to);

    assertTrue(
        TestSpark.session()
                .read()
                .parquet(lake.resolve("sessions").toString())
                .where("channel_name = '" + SCRIPT + "'")
                .count()
            == 1,
        "the lake keeps the value as the API sent it");

    Path out = dir.resolve("reports");
    ReportFolder.write(
        ReportStage.run(TestSpark.session(), lake.toString(), from, to, Settings.defaults()), out);

    String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
    assertTrue(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the name is shown, escaped");
    assertFalse(html.contains(SCRIPT), "no raw script tag");
    assertFalse(html.contains("<script"), "no script element at all");
    assertFalse(
        html.contains(QUOTED_TAG) || html.contains("\"hi\"") || html.contains("<b>"),
        "tags escaped");
    assertTrue(html.contains("&quot;hi&quot;"), "tag values are shown, escaped");

    String csv = Files.readString(out.resolve(TopChannelsReport.FILE), StandardCharsets.UTF_8);
    List<CSVRecord> records =
        CSVFormat.RFC4180
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .get()
            .parse(new java.io.StringReader(csv))
            .getRecords();
    boolean sawName = false;
    for (CSVRecord r : records) {
      for (String cell : r) {
        assertFalse(
            !cell.isEmpty()
                && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0
                && !cell.matches("-?[0-9.]+"),
            "formula-like cell reaches a spreadsheet: " + cell);
        sawName |= cell.equals("'" + FORMULA);
      }
    }
    assertTrue(sawName, "the formula-like name is kept, neutralised:\n" + csv);
  }
}
