package io.ivsanalytics.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ivsanalytics.model.report.Alert;
import io.ivsanalytics.model.report.AlertThresholds;
import io.ivsanalytics.model.report.ReportSummary;
import io.ivsanalytics.model.report.ReportTable;
import io.ivsanalytics.reports.BitrateConformanceReport;
import io.ivsanalytics.reports.CodecDistributionReport;
import io.ivsanalytics.reports.DailySessionsReport;
import io.ivsanalytics.reports.TakeoverFailureReport;
import io.ivsanalytics.reports.TopChannelsReport;
import java.awt.image.BufferedImage;
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
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html is self-contained, escapes API strings, and renders in headless Chromium. */
class HtmlReportTest {
  static final String SCRIPT = "<script>alert(1)</script>";
  static final String QUOTED = "x\" onmouseover=\"alert('q')";
  @TempDir Path dir;

  static Map<String, ReportTable> tables() {
    Map<String, ReportTable> t = new LinkedHashMap<>();
    List<String> takeoverColumns = new ArrayList<>(TakeoverFailureReport.COLUMNS);
    takeoverColumns.addAll(
        List.of(
            "failure_rate_ci_low",
            "failure_rate_ci_high",
            "prev_failure_rate",
            "failure_rate_change_pp"));
    t.put(
        TakeoverFailureReport.FILE,
        new ReportTable(
            TakeoverFailureReport.FILE,
            takeoverColumns,
            List.of(
                Arrays.asList(
                    "ADVANCED_HD",
                    120L,
                    20L,
                    24L,
                    21L,
                    3L,
                    0.125,
                    1L,
                    1L,
                    1L,
                    0L,
                    0.0434,
                    0.3100,
                    0.1,
                    2.5),
                Arrays.asList(
                    "BASIC", 300L, 0L, 0L, 0L, 0L, null, 0L, 0L, 0L, 0L, null, null, null, null),
                Arrays.asList(
                    "STANDARD",
                    480L,
                    40L,
                    52L,
                    50L,
                    2L,
                    2.0 / 52,
                    0L,
                    2L,
                    0L,
                    0L,
                    0.0106,
                    0.1298,
                    0.05,
                    -1.1538),
                Arrays.asList(
                    SCRIPT, 3L, 1L, 1L, 0L, 1L, 1.0, 0L, 0L, 0L, 1L, 0.2065, 1.0, null, null),
                Arrays.asList(
                    "ALL", 903L, 61L, 77L, 71L, 6L, 6.0 / 77, 1L, 3L, 1L, 1L, 0.0362, 0.1598, 0.05,
                    2.7922))));
    t.put(
        CodecDistributionReport.FILE,
        new ReportTable(
            CodecDistributionReport.FILE,
            CodecDistributionReport.COLUMNS,
            List.of(
                Arrays.asList("BASIC", "video", "H.264", "avc1.64001F", 300L, 300L, 1.0),
                Arrays.asList("STANDARD", "audio", "AAC-LC", "mp4a.40.2", 400L, 400L, 0.8),
                Arrays.asList("STANDARD", "audio", "Opus", "opus", 80L, 100L, 0.2),
                Arrays.asList("STANDARD", "video", "H.264", "avc1.640028", 400L, 700L, 0.7),
                Arrays.asList("STANDARD", "video", "H.265", "hvc1.1.6.L120.90", 200L, 200L, 0.2),
                Arrays.asList("STANDARD", "video", QUOTED, QUOTED, 100L, 100L, 0.1),
                Arrays.asList("ALL", "audio", "AAC-LC", "mp4a.40.2", 400L, 400L, 0.8),
                Arrays.asList("ALL", "audio", "Opus", "opus", 80L, 100L, 0.2),
                Arrays.asList("ALL", "video", "H.264", "avc1.640028", 700L, 1000L, 1000.0 / 1300),
                Arrays.asList(
                    "ALL", "video", "H.265", "hvc1.1.6.L120.90", 200L, 200L, 200.0 / 1300),
                Arrays.asList("ALL", "video", QUOTED, QUOTED, 100L, 100L, 100.0 / 1300))));
    List<String> conformanceColumns = new ArrayList<>(BitrateConformanceReport.COLUMNS);
    conformanceColumns.addAll(
        List.of(
            "conformance_rate_ci_low",
            "conformance_rate_ci_high",
            "prev_conformance_rate",
            "conformance_rate_change_pp"));
    t.put(
        BitrateConformanceReport.FILE,
        new ReportTable(
            BitrateConformanceReport.FILE,
            conformanceColumns,
            List.of(
                Arrays.asList(
                    "BASIC",
                    300L,
                    270L,
                    30L,
                    0L,
                    0L,
                    0.9,
                    3_500_000L,
                    2_500_000L,
                    3_400_000L,
                    0.8618,
                    0.9283,
                    0.95,
                    -5.0),
                Arrays.asList(
                    "STANDARD",
                    1000L,
                    850L,
                    100L,
                    40L,
                    10L,
                    0.85,
                    8_500_000L,
                    16_000_000L,
                    18_400_000L,
                    0.8265,
                    0.8706,
                    0.8512,
                    -0.12),
                Arrays.asList(
                    "FUTURE",
                    5L,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    4_000_000L,
                    4_500_000L,
                    null,
                    null,
                    null,
                    null),
                Arrays.asList(
                    "ALL",
                    1305L,
                    1120L,
                    130L,
                    40L,
                    10L,
                    1120.0 / 1300,
                    null,
                    6_000_000L,
                    18_400_000L,
                    0.8421,
                    0.8782,
                    0.9,
                    -3.85))));
    List<List<Object>> daily = new ArrayList<>();
    long[][] perDay = {{40, 60}, {45, 70}, {38, 75}, {50, 66}, {44, 80}, {30, 50}, {53, 79}};
    for (int d = 0; d < 7; d++) {
      String dt = "2024-05-" + String.format(java.util.Locale.ROOT, "%02d", 6 + d);
      daily.add(Arrays.asList(dt, "BASIC", perDay[d][0], 20L));
      daily.add(Arrays.asList(dt, "STANDARD", perDay[d][1], 30L));
      daily.add(Arrays.asList(dt, "ALL", perDay[d][0] + perDay[d][1], 50L));
    }
    t.put(
        DailySessionsReport.FILE,
        new ReportTable(DailySessionsReport.FILE, DailySessionsReport.COLUMNS, daily));
    List<List<Object>> top = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      top.add(
          Arrays.asList(
              "arn:aws:ivs:us-west-2:123456789012:channel/AbCdEfGhIjKl" + i,
              "\u914d\u4fe1\u30c1\u30e3\u30f3\u30cd\u30eb " + i,
              "STANDARD",
              "env=prod; team=\u6620\u50cf\u30c1\u30fc\u30e0; region=ap-northeast-1;"
                  + " cost-center=broadcast-"
                  + i,
              100L - i,
              1L,
              1234.5 - i));
    }
    t.put(
        TopChannelsReport.FILE,
        new ReportTable(TopChannelsReport.FILE, TopChannelsReport.COLUMNS, top));
    return t;
  }

  static ReportSummary summary(Map<String, ReportTable> tables) {
    return summary(tables, List.of());
  }

  static ReportSummary summary(Map<String, ReportTable> tables, List<Alert> alerts) {
    Map<String, Long> errors = new LinkedHashMap<>();
    errors.put("ThrottlingException", 4L);
    errors.put(SCRIPT, 1L);
    return new ReportSummary(
        "2024-05-06",
        "2024-05-13",
        "2024-05-06 \u2013 2024-05-12 (UTC)",
        "2024-05-13T06:00:00Z",
        903,
        61,
        2,
        1305,
        500,
        errors,
        "fetch_errors of the runs of 2024-05-06 to 2024-05-13",
        List.of(
            "ADVANCED_HD has the highest takeover failure rate: 12.5% (3 of 24).",
            "Channel " + SCRIPT + " misbehaved."),
        List.of(),
        Map.of(),
        "2024-04-29 \u2013 2024-05-05 (UTC)",
        List.of(
            new ReportSummary.Headline(
                "failure_rate",
                "Takeover failure rate",
                6.0 / 77,
                6,
                77,
                0.0362,
                0.1598,
                0.05,
                2.7922,
                true),
            new ReportSummary.Headline(
                "conformance_rate",
                "Bitrate conformance",
                1120.0 / 1300,
                1120,
                1300,
                0.8421,
                0.8782,
                null,
                null,
                true)),
        alerts,
        new AlertThresholds(0.05, null, null, 20));
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
    Files.copy(
        page, preview.resolve("report.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    String dom = dumpDom(page);
    assertTrue(dom.contains("IVS stream sessions"), "page did not render: " + head(dom));
    assertTrue(count(dom, "<svg") >= 4, "expected the inline SVG charts in the rendered DOM");
    assertTrue(dom.contains("12.5% (3 of 24)"));
    assertEquals(0, count(dom, "<script"), "an API string became a script element");
    assertTrue(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertNoExternalReferences(dom);
  }

  @Test
  void oneWindowFormAndAlertsFirst() {
    Map<String, ReportTable> t = tables();
    Alert a =
        new Alert(
            "failure_rate",
            SCRIPT,
            0.5,
            null,
            0.1,
            40,
            "Channel type " + SCRIPT + ": takeover failure rate 50.0%");
    String html = HtmlReport.page(summary(t, List.of(a)), t);
    assertTrue(html.contains("2024-05-06 \u2013 2024-05-12 (UTC)"));
    assertFalse(html.contains("[2024-05-06, 2024-05-13)"), "a second form of the window");
    assertFalse(html.contains(" to 2024-05-12"), "a second form of the window");
    assertFalse(html.contains(SCRIPT), "alert message not escaped");
    int alerts = html.indexOf("class=\"alerts\"");
    assertTrue(alerts > 0 && alerts < html.indexOf("class=\"cards\""), "alerts lead the page");
    // Headline rates carry their interval and the change against the previous window.
    assertTrue(html.contains("6 of 77, 95% CI 4\u201316%"), "headline interval");
    assertTrue(
        html.contains("\u25B2 2.79 pp</span> vs 5.0% in the previous window"), "headline change");
    String body = HtmlReport.emailBody(summary(t, List.of(a)));
    assertTrue(
        body.indexOf("1 alert") < body.indexOf("IVS weekly report"), "alerts lead the email");
    assertTrue(
        body.contains("6 of 77, 95% CI 4\u201316%") && body.contains("\u25B2 2.79 pp vs 5.0%"),
        "email headline");
  }

  @Test
  void countAxesHaveWholeNumberTicks() {
    Map<String, ReportTable> t = tables();
    String html = HtmlReport.page(summary(t), t);
    Matcher m = Pattern.compile("class=\"axis\" text-anchor=\"end\">([^<]*)</text>").matcher(html);
    List<String> ticks = new ArrayList<>();
    while (m.find()) {
      ticks.add(m.group(1));
    }
    // Sessions per day peak at 133: ticks every 50 (0..150), never 12.5 or 37.5.
    assertTrue(ticks.containsAll(List.of("0", "50", "100", "150")), ticks.toString());
    assertTrue(ticks.stream().noneMatch(v -> v.contains(".")), ticks.toString());
    assertEquals(1, Svg.countStep(3));
    assertEquals(10, Svg.countStep(50));
    assertEquals(25, Svg.countStep(110));
    assertEquals(50, Svg.countStep(133));
  }

  @Test
  void everyTableFitsAt1280PixelsInChromium() throws Exception {
    Map<String, ReportTable> t = tables();
    String html = HtmlReport.page(summary(t), t);
    // A test-only script (the report itself has none) lists the tables wider than their box.
    String probe =
        "<script>addEventListener('load',()=>{const wide=[...document.querySelectorAll('.scroll')]"
            + ".filter(d=>d.scrollWidth>d.clientWidth+1).map(d=>d.previousElementSibling?d.previousElementSibling.textContent:'?');document.body.setAttribute('data-overflow',wide.length?wide.join('"
            + " | '):'none');});</script>";
    Path page = dir.resolve("probe.html");
    Files.writeString(page, html.replace("</body>", probe + "</body>"), StandardCharsets.UTF_8);
    String dom = dumpDom(page, "--window-size=1280,900");
    Matcher m = Pattern.compile("data-overflow=\"([^\"]*)\"").matcher(dom);
    assertTrue(m.find(), "probe did not run");
    assertEquals("none", m.group(1), "tables cut off at 1280 px");
    // Top channels: the numbers come right after name and type, the ARN last.
    int top = html.indexOf("Top channels");
    String header = html.substring(html.indexOf("<thead>", top), html.indexOf("</thead>", top));
    assertTrue(
        header.indexOf("sessions") < header.indexOf("tags")
            && header.indexOf("tags") < header.indexOf("channel arn"),
        header);
  }

  @Test
  void cjkTextRendersAsGlyphsNotBoxes() throws Exception {
    // Two different CJK characters and two characters no font has (private use: drawn as boxes),
    // each in its own 100 px cell, in the report's font stack. Boxes look alike; glyphs do not.
    String cells = "\u914d\u4fe1\ue000\ue001";
    StringBuilder b =
        new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>")
            .append(HtmlReport.CSS)
            .append(
                "body{background:#fff;margin:0}div.c{position:absolute;top:40px;width:100px;height:100px;font-size:64px;line-height:1;color:#000}")
            .append("</style></head><body>");
    for (int i = 0; i < cells.length(); i++) {
      b.append("<div class=\"c\" style=\"left:")
          .append(i * 100)
          .append("px\">&#x")
          .append(Integer.toHexString(cells.charAt(i)))
          .append(";</div>");
    }
    b.append("</body></html>");
    Path page = dir.resolve("cjk.html");
    Files.writeString(page, b.toString(), StandardCharsets.UTF_8);
    BufferedImage shot = screenshot(page, 400, 300);
    int[][] cell = new int[4][];
    for (int i = 0; i < 4; i++) {
      cell[i] = shot.getRGB(i * 100, 40, 100, 100, null, 0, 100);
    }
    assertTrue(ink(cell[0]) > 200 && ink(cell[1]) > 200, "CJK cells are blank");
    assertTrue(
        differing(cell[2], cell[3]) < 20,
        "the two missing-glyph boxes should look alike (the check itself is broken)");
    assertTrue(
        differing(cell[0], cell[1]) > 200,
        "two different CJK characters look the same: boxes, no CJK font");
    assertTrue(
        differing(cell[0], cell[2]) > 200, "the CJK character looks like a missing-glyph box");
  }

  private static int ink(int[] px) {
    int n = 0;
    for (int p : px) {
      if ((p & 0xff) < 128) {
        n++;
      }
    }
    return n;
  }

  private static int differing(int[] a, int[] b) {
    int n = 0;
    for (int i = 0; i < a.length; i++) {
      if (((a[i] & 0xff) < 128) != ((b[i] & 0xff) < 128)) {
        n++;
      }
    }
    return n;
  }

  static BufferedImage screenshot(Path page, int width, int height) throws Exception {
    Path png = page.resolveSibling(page.getFileName() + ".png");
    run(
        List.of(
            "--hide-scrollbars",
            "--window-size=" + width + "," + height,
            "--screenshot=" + png,
            page.toUri().toString()));
    BufferedImage img = ImageIO.read(png.toFile());
    assertTrue(img != null && img.getWidth() >= width, "no screenshot");
    return img;
  }

  static void assertNoExternalReferences(String html) {
    Matcher m =
        Pattern.compile(
                "(?i)\\b(src|href|xlink:href|action|poster|srcset)\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s>]+)")
            .matcher(html);
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
    for (String banned :
        List.of(
            "<link", "@import", "<iframe", "<img", "<object", "<embed", "http://", "https://")) {
      assertFalse(
          html.toLowerCase(java.util.Locale.ROOT).contains(banned), "page contains " + banned);
    }
  }

  /** Loads the page in headless Chromium and returns the serialised DOM. */
  static String dumpDom(Path page, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of(options));
    args.add("--dump-dom");
    args.add(page.toUri().toString());
    return new String(run(args), StandardCharsets.UTF_8);
  }

  private static byte[] run(List<String> args) throws Exception {
    String chromium = findChromium();
    Path profile = Files.createTempDirectory("chromium-profile");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--user-data-dir=" + profile));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish");
    }
    assertEquals(0, p.exitValue(), "chromium exit code");
    return out;
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
