package io.ivsanalytics.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ivsanalytics.reports.Alert;
import io.ivsanalytics.reports.AlertThresholds;
import io.ivsanalytics.reports.BitrateConformanceReport;
import io.ivsanalytics.reports.CodecDistributionReport;
import io.ivsanalytics.reports.DailySessionsReport;
import io.ivsanalytics.reports.ReportSummary;
import io.ivsanalytics.reports.ReportTable;
import io.ivsanalytics.reports.TakeoverFailureReport;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html is self-contained, escapes API strings, and renders in headless Chromium. */
class HtmlReportTest {
  static final String SCRIPT = "<script>alert(1)</script>";
  static final String QUOTED = "x\" onmouseover=\"alert('q')";
  @TempDir Path dir;

  static Map<String, ReportTable> tables() {
    Map<String, ReportTable> t = new LinkedHashMap<>();
    t.put(TakeoverFailureReport.FILE, new ReportTable(TakeoverFailureReport.FILE, TakeoverFailureReport.COLUMNS, List.of(
        Arrays.asList("ADVANCED_HD", 120L, 20L, 24L, 21L, 3L, 0.125, 1L, 1L, 1L, 0L),
        Arrays.asList("BASIC", 300L, 0L, 0L, 0L, 0L, null, 0L, 0L, 0L, 0L),
        Arrays.asList("STANDARD", 480L, 40L, 52L, 50L, 2L, 2.0 / 52, 0L, 2L, 0L, 0L),
        Arrays.asList(SCRIPT, 3L, 1L, 1L, 0L, 1L, 1.0, 0L, 0L, 0L, 1L),
        Arrays.asList("ALL", 903L, 61L, 77L, 71L, 6L, 6.0 / 77, 1L, 3L, 1L, 1L))));
    t.put(CodecDistributionReport.FILE, new ReportTable(CodecDistributionReport.FILE, CodecDistributionReport.COLUMNS, List.of(
        Arrays.asList("BASIC", "video", "H.264", "avc1.64001F", 300L, 300L, 1.0),
        Arrays.asList("STANDARD", "audio", "AAC-LC", "mp4a.40.2", 400L, 400L, 0.8),
        Arrays.asList("STANDARD", "audio", "Opus", "opus", 80L, 100L, 0.2),
        Arrays.asList("STANDARD", "video", "H.264", "avc1.640028", 400L, 700L, 0.7),
        Arrays.asList("STANDARD", "video", "H.265", "hvc1.1.6.L120.90", 200L, 200L, 0.2),
        Arrays.asList("STANDARD", "video", QUOTED, QUOTED, 100L, 100L, 0.1),
        Arrays.asList("ALL", "audio", "AAC-LC", "mp4a.40.2", 400L, 400L, 0.8),
        Arrays.asList("ALL", "audio", "Opus", "opus", 80L, 100L, 0.2),
        Arrays.asList("ALL", "video", "H.264", "avc1.640028", 700L, 1000L, 1000.0 / 1300),
        Arrays.asList("ALL", "video", "H.265", "hvc1.1.6.L120.90", 200L, 200L, 200.0 / 1300),
        Arrays.asList("ALL", "video", QUOTED, QUOTED, 100L, 100L, 100.0 / 1300))));
    t.put(BitrateConformanceReport.FILE, new ReportTable(BitrateConformanceReport.FILE, BitrateConformanceReport.COLUMNS, List.of(
        Arrays.asList("BASIC", 300L, 270L, 30L, 0L, 0L, 0.9, 3_500_000L, 2_500_000L, 3_400_000L),
        Arrays.asList("STANDARD", 1000L, 850L, 100L, 40L, 10L, 0.85, 8_500_000L, 6_000_000L, 8_400_000L),
        Arrays.asList("FUTURE", 5L, null, null, null, null, null, null, 4_000_000L, 4_500_000L),
        Arrays.asList("ALL", 1305L, 1120L, 130L, 40L, 10L, 1120.0 / 1300, null, 6_000_000L, 8_400_000L))));
    List<List<Object>> daily = new ArrayList<>();
    long[][] perDay = {{40, 60}, {45, 70}, {38, 75}, {50, 66}, {44, 80}, {30, 50}, {53, 79}};
    for (int d = 0; d < 7; d++) {
      String dt = "2024-05-" + String.format(java.util.Locale.ROOT, "%02d", 6 + d);
      daily.add(Arrays.asList(dt, "BASIC", perDay[d][0], 20L));
      daily.add(Arrays.asList(dt, "STANDARD", perDay[d][1], 30L));
      daily.add(Arrays.asList(dt, "ALL", perDay[d][0] + perDay[d][1], 50L));
    }
    t.put(DailySessionsReport.FILE, new ReportTable(DailySessionsReport.FILE, DailySessionsReport.COLUMNS, daily));
    return t;
  }

  static ReportSummary summary(Map<String, ReportTable> tables) {
    return summary(tables, List.of());
  }

  static ReportSummary summary(Map<String, ReportTable> tables, List<Alert> alerts) {
    Map<String, Long> errors = new LinkedHashMap<>();
    errors.put("ThrottlingException", 4L);
    errors.put(SCRIPT, 1L);
    return new ReportSummary("2024-05-06", "2024-05-13", "2024-05-06 \u2013 2024-05-12 (UTC)", "2024-05-13T06:00:00Z",
        903, 61, 2, 1305, 500, errors, "fetch_errors of the runs of 2024-05-06 to 2024-05-13",
        List.of("ADVANCED_HD has the highest takeover failure rate: 12.5% (3 of 24).", "Channel " + SCRIPT + " misbehaved."),
        List.of(), Map.of(), "2024-04-29 \u2013 2024-05-05 (UTC)",
        List.of(
            new ReportSummary.Headline("failure_rate", "Takeover failure rate", 6.0 / 77, 6, 77, 0.0362, 0.1598, 0.05, 2.7922, true),
            new ReportSummary.Headline("conformance_rate", "Bitrate conformance", 1120.0 / 1300, 1120, 1300, 0.8421, 0.8782, null, null, true)),
        alerts, new AlertThresholds(0.05, null, null, 20));
  }

  @Test
  void apiStringsAreEscapedEverywhere() {
    Map<String, ReportTable> t = tables();
    String html = HtmlReport.page(summary(t), t);
    assertFalse(html.contains(SCRIPT), "raw script tag in the page");
    assertFalse(html.contains(QUOTED), "raw attribute-breaking value in the page");
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertTrue(html.contains("x&quot; onmouseover=&quot;alert(&#39;q&#39;)"));
    assertEquals(0, count(html, "<script"), "the page has no script elements");
  }

  @Test
  void selfContainedPageRendersInHeadlessChromium() throws Exception {
    Map<String, ReportTable> t = tables();
    String html = HtmlReport.page(summary(t), t);
    assertNoExternalReferences(html);
    Path page = dir.resolve("report.html");
    Files.writeString(page, html, StandardCharsets.UTF_8);
    Path preview = Path.of("target", "report-preview");
    Files.createDirectories(preview);
    Files.copy(page, preview.resolve("report.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    String dom = dumpDom(page);
    assertTrue(dom.contains("IVS stream sessions"), "page did not render: " + head(dom));
    assertTrue(count(dom, "<svg") >= 4, "expected the inline SVG charts in the rendered DOM");
    assertTrue(dom.contains("12.5% (3 of 24)"));
    assertEquals(0, count(dom, "<script"), "an API string became a script element");
    assertTrue(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertNoExternalReferences(dom);
  }

  static void assertNoExternalReferences(String html) {
    Matcher m = Pattern.compile("(?i)\\b(src|href|xlink:href|action|poster|srcset)\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s>]+)").matcher(html);
    while (m.find()) {
      String v = m.group(2).replaceAll("^[\"']|[\"']$", "");
      if (!v.startsWith("#")) {
        fail("external reference " + m.group());
      }
    }
    Matcher u = Pattern.compile("(?i)url\\(\\s*['\"]?([^'\")]*)").matcher(html);
    while (u.find()) {
      if (!u.group(1).startsWith("#")) {
        fail("external url() " + u.group());
      }
    }
    for (String banned : List.of("<link", "@import", "<iframe", "<img", "<object", "<embed", "http://", "https://")) {
      assertFalse(html.toLowerCase(java.util.Locale.ROOT).contains(banned), "page contains " + banned);
    }
  }

  /** Loads the page in headless Chromium and returns the serialised DOM. */
  static String dumpDom(Path page) throws Exception {
    String chromium = findChromium();
    Path profile = Files.createTempDirectory("chromium-profile");
    ProcessBuilder pb = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + profile, "--dump-dom", page.toUri().toString());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish");
    }
    assertEquals(0, p.exitValue(), "chromium exit code");
    return new String(out, StandardCharsets.UTF_8);
  }

  static String findChromium() {
    for (String dirName : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        File f = new File(dirName, name);
        if (f.canExecute()) {
          return f.getPath();
        }
      }
    }
    fail("chromium is not installed: run jobs/setup-test-tools");
    return null;
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static String head(String s) {
    return s.length() > 400 ? s.substring(0, 400) : s;
  }
}
