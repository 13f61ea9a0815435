package io.ivsanalytics.output;

import io.ivsanalytics.model.report.Alert;
import io.ivsanalytics.model.report.Rates;
import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportSummary;
import io.ivsanalytics.model.report.ReportTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * report.html (self-contained: one page, CSS in a style element, charts as inline SVG, no scripts,
 * no external references) and the email body (inline styles only). Every value that came from the
 * API is escaped with {@link Html#escape}.
 */
public final class HtmlReport {
  private static final String ALL = "ALL";

  static final String CSS =
      """
      :root{--fg:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#f8fafc;--card:#fff;--accent:#2563eb}
      *{box-sizing:border-box}
      body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans CJK SC","Noto Sans CJK JP","Noto Sans CJK KR","Source Han Sans SC","PingFang SC","Hiragino Sans","Microsoft YaHei","Yu Gothic","Malgun Gothic",sans-serif}
      main{max-width:1240px;margin:0 auto;padding:32px 20px 64px}
      header h1{font-size:28px;margin:0 0 4px;letter-spacing:-.01em}
      header p{margin:0;color:var(--muted)}
      h2{font-size:20px;margin:18px 0 4px}
      h3{font-size:15px;margin:22px 0 8px;color:#374151}
      p.note{color:var(--muted);margin:4px 0 14px;font-size:14px}
      .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin:24px 0 8px}
      .card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
      .card .k{color:var(--muted);font-size:13px}
      .card .v{font-size:26px;font-weight:650;font-variant-numeric:tabular-nums}
      .card .s{color:var(--muted);font-size:12px}
      .findings{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--accent);border-radius:10px;padding:12px 20px 12px 36px;margin:16px 0}
      .findings li{margin:6px 0}
      section{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:6px 18px 18px;margin:22px 0;box-shadow:0 1px 2px rgba(0,0,0,.03)}
      .scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
      table{border-collapse:collapse;width:100%;font-size:13px;font-variant-numeric:tabular-nums}
      th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
      th{font-weight:600;color:#374151;background:#f3f4f6;white-space:normal;vertical-align:bottom;font-size:12.5px}
      td.num,th.num{text-align:right}
      tr.total td{font-weight:650;background:#f9fafb;border-top:2px solid #d1d5db}
      tr.total+tr.total td{border-top:1px solid var(--line)}
      tbody tr:hover td{background:#f5f8ff}
      .muted{color:#9ca3af}
      .alerts{background:#fef2f2;border:1px solid #fecaca;border-left:4px solid #dc2626;border-radius:10px;padding:10px 20px 12px;margin:18px 0}
      .alerts h2{color:#b91c1c;margin:4px 0 6px}
      .alerts li{margin:5px 0}
      .card .ci{font-size:12.5px;color:#374151;font-variant-numeric:tabular-nums}
      .up{color:#b91c1c}.down{color:#15803d}.flat{color:var(--muted)}
      td.wrap{white-space:normal;overflow-wrap:anywhere;min-width:9em}
      .multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:8px 14px;margin:4px 0 10px}
      .multiples figure{margin:0}
      .multiples figcaption{font-size:12.5px;color:#374151;font-weight:600}
      svg.small{display:block;width:100%;height:auto}
      svg.chart{display:block;max-width:760px;margin:8px 0 12px}
      svg .lbl{font-size:12.5px;fill:#374151}
      svg .val{font-size:12.5px;fill:#111827;font-weight:600}
      svg .in{font-size:11px;fill:#fff;font-weight:600}
      svg .axis{font-size:11px;fill:#6b7280}
      footer{color:var(--muted);font-size:12.5px;margin-top:36px}
      code{font-size:12.5px;background:#f3f4f6;padding:1px 5px;border-radius:4px}
      @media (max-width:640px){main{padding:18px 12px}th,td{padding:6px 7px}}
      """;

  /** The full report page. {@code tables} are keyed by file name. */
  public static String page(ReportSummary s, Map<String, ReportTable> tables) {
    StringBuilder b = new StringBuilder(64_000);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>IVS sessions report ")
        .append(Html.escape(s.windowLabel()))
        .append("</title>")
        .append("<style>")
        .append(CSS)
        .append("</style></head><body><main>");
    b.append("<header><h1>IVS stream sessions</h1><p>Sessions that started ")
        .append(Html.escape(s.windowLabel()))
        .append(" &middot; compared with ")
        .append(Html.escape(s.previousWindowLabel()))
        .append("</p></header>");
    alerts(b, s);
    cards(b, s);
    b.append("<ul class=\"findings\">");
    for (String f : s.findings()) {
      b.append("<li>").append(Html.escape(f)).append("</li>");
    }
    b.append("</ul>");

    ReportTable daily = tables.get(ReportCatalog.DAILY_SESSIONS);
    if (daily != null) {
      b.append(
          "<section><h2>Sessions per day</h2><p class=\"note\">Sessions by UTC start date, all"
              + " channel types and each type.</p>");
      b.append(dailyChart(daily));
      b.append("</section>");
    }

    ReportTable takeover = tables.get(ReportCatalog.TAKEOVER_FAILURE_RATES);
    b.append(
        "<section><h2>Stream takeovers</h2><p class=\"note\">Failure rate = takeover failures /"
            + " attempts (successes + failures). Empty when a type had no attempts.</p>");
    List<Svg.Bar> bars = new ArrayList<>();
    for (List<Object> r : takeover.rows()) {
      long attempts = takeover.longCell(r, "takeover_attempts");
      Double rate = (Double) takeover.cell(r, "failure_rate");
      bars.add(
          new Svg.Bar(
              label(r.get(0)),
              rate == null ? 0 : rate,
              rate == null
                  ? "no attempts"
                  : Svg.pct(rate)
                      + " ("
                      + Rates.countWithInterval(takeover.longCell(r, "takeover_failures"), attempts)
                      + ")"));
    }
    double maxRate = bars.stream().mapToDouble(Svg.Bar::value).max().orElse(0);
    b.append(
        Svg.hbars(
            "Takeover failure rate per channel type",
            bars,
            maxRate <= 0 ? 1 : Math.min(1, maxRate * 1.15),
            "#dc2626"));
    table(b, takeover);
    extra(
        b,
        tables.get(ReportCatalog.TAKEOVER_FAILURES_BY_CHANNEL),
        "Channels with the most takeover failures",
        "Who to call: channels by takeover failures in the window, with the failure rate&#39;s 95%"
            + " interval and the most frequent failure code.");
    b.append("</section>");

    ReportTable codecs = tables.get(ReportCatalog.CODEC_DISTRIBUTION);
    b.append(
        "<section><h2>Codecs</h2><p class=\"note\">Share of tracks = tracks / all tracks of that"
            + " media in that channel type.</p>");
    b.append(codecChart(codecs, "video")).append(codecChart(codecs, "audio"));
    table(b, codecs);
    b.append("</section>");

    ReportTable conf = tables.get(ReportCatalog.BITRATE_CONFORMANCE);
    b.append(
        "<section><h2>Bitrate conformance</h2><p class=\"note\">Video tracks against their channel"
            + " type&#39;s ingest limits (bitrate, resolution up to 1920&times;1080 in either"
            + " orientation, frame rate). Tracks on channel types without configured limits are"
            + " counted but not evaluated. Percentiles are exact nearest-rank values of target"
            + " bitrate.</p>");
    List<Svg.Bar> cbars = new ArrayList<>();
    long unevaluated = 0;
    for (List<Object> r : conf.rows()) {
      Double rate = (Double) conf.cell(r, "conformance_rate");
      boolean all = ALL.equals(r.get(0));
      if (conf.cell(r, "conformant_tracks") == null) {
        unevaluated += conf.longCell(r, "video_tracks");
      }
      long evaluated = conf.longCell(r, "video_tracks") - (all ? unevaluated : 0);
      cbars.add(
          new Svg.Bar(
              label(r.get(0)),
              rate == null ? 0 : rate,
              rate == null
                  ? (conf.cell(r, "conformant_tracks") == null
                      ? "not evaluated"
                      : "no video tracks")
                  : Svg.pct(rate)
                      + " ("
                      + Rates.countWithInterval(conf.longCell(r, "conformant_tracks"), evaluated)
                      + ")"));
    }
    b.append(Svg.hbars("Conformance rate per channel type", cbars, 1, "#16a34a"));
    table(b, conf);
    extra(
        b,
        tables.get(ReportCatalog.NONCONFORMANT_ENCODERS),
        "Encoders behind nonconformant tracks",
        "What to fix: video tracks per channel type, encoder and codec, most nonconformant first (a"
            + " track may break more than one limit).");
    b.append("</section>");

    ReportTable trends = tables.get(ReportCatalog.WEEKLY_TRENDS);
    if (trends != null && !trends.rows().isEmpty()) {
      b.append(
              "<section><h2>Weekly trend</h2><p class=\"note\">Per ISO week (Monday to Sunday,"
                  + " UTC), up to ")
          .append(ReportCatalog.TREND_WEEKS)
          .append(
              " weeks ending with this window; the last week may be partial. Rates over fewer than"
                  + " ")
          .append(s.alertThresholds().minSamples())
          .append(" attempts or tracks are drawn hollow.</p>");
      weeklyMultiples(b, trends, s.alertThresholds().minSamples());
      extra(
          b,
          trends,
          "Weekly trend table",
          "Sessions, takeover failure rate and bitrate conformance per week and channel type.");
      b.append("</section>");
    }

    StringBuilder more = new StringBuilder();
    extra(
        more,
        topChannelsNumbersFirst(tables.get(ReportCatalog.TOP_CHANNELS)),
        "Top channels",
        "Channels with the most sessions; name, type and tags of their latest session.");
    extra(
        more,
        tables.get(ReportCatalog.SESSION_DURATION_PERCENTILES),
        "Session duration",
        "Ended sessions; live sessions have no duration yet.");
    extra(
        more,
        tables.get(ReportCatalog.MULTITRACK_ADOPTION),
        "Multitrack adoption",
        "Multitrack sessions sent more than one video track.");
    extra(
        more,
        tables.get(ReportCatalog.RECORDING_USAGE),
        "Recording to S3",
        "Sessions on channels with a recording configuration.");
    extra(
        more,
        tables.get(ReportCatalog.ERROR_EVENTS),
        "Problem events",
        "Events named &hellip;Failure, Starvation Start, or carrying a code.");
    extra(
        more,
        tables.get(ReportCatalog.FETCH_ERRORS_BY_CODE),
        "Fetch errors",
        Html.escape("Ids that could not be fetched (" + s.fetchErrorsScope() + ")."));
    if (more.length() > 0) {
      b.append("<section><h2>More</h2>").append(more).append("</section>");
    }
    b.append("<footer>Generated ")
        .append(Html.escape(s.generatedAt()))
        .append(
            " by ivs-session-analytics. CSV files with the same data are in this folder.</footer>");
    b.append("</main></body></html>\n");
    return b.toString();
  }

  /**
   * The email body: window, totals, findings and the takeover and conformance tables; inline
   * styles.
   */
  public static String emailBody(ReportSummary s) {
    String font = "font-family:Arial,Helvetica,sans-serif;color:#1f2937;";
    String th =
        "style=\"text-align:left;padding:6px 10px;background:#f3f4f6;border-bottom:1px solid"
            + " #d1d5db;font-size:13px\"";
    StringBuilder b = new StringBuilder();
    b.append(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body"
            + " style=\"margin:0;padding:0;background:#ffffff\">");
    b.append("<div style=\"")
        .append(font)
        .append("max-width:720px;padding:20px;font-size:14px;line-height:1.5\">");
    if (!s.alerts().isEmpty()) {
      b.append(
              "<div style=\"background:#fef2f2;border:1px solid #fecaca;border-left:4px solid"
                  + " #dc2626;padding:8px 14px;margin:0 0 16px\">")
          .append("<div style=\"font-weight:bold;color:#b91c1c;font-size:16px\">")
          .append(s.alerts().size() == 1 ? "1 alert" : s.alerts().size() + " alerts")
          .append("</div><ul style=\"margin:4px 0;padding-left:20px\">");
      for (Alert a : s.alerts()) {
        b.append("<li style=\"margin:4px 0\">").append(Html.escape(a.message())).append("</li>");
      }
      b.append("</ul></div>");
    }
    b.append("<h1 style=\"font-size:22px;margin:0 0 4px\">IVS weekly report</h1>");
    b.append("<p style=\"margin:0 0 16px;color:#6b7280\">Sessions that started ")
        .append(Html.escape(s.windowLabel()))
        .append(", compared with ")
        .append(Html.escape(s.previousWindowLabel()))
        .append("</p>");
    b.append(
        "<table role=\"presentation\" style=\"border-collapse:collapse;margin:0 0 12px\"><tr>");
    for (ReportSummary.Headline h : s.headlines()) {
      b.append(
              "<td style=\"padding:8px 22px 8px 0;vertical-align:top\"><div"
                  + " style=\"font-size:12px;color:#6b7280\">")
          .append(Html.escape(h.title()))
          .append("</div><div style=\"font-size:20px;font-weight:bold\">")
          .append(h.rate() == null ? "&mdash;" : Html.escape(Rates.pct(h.rate())))
          .append("</div>");
      if (h.rate() != null) {
        b.append("<div style=\"font-size:12px\">")
            .append(Html.escape(Rates.countWithInterval(h.k(), h.n())))
            .append("</div>")
            .append("<div style=\"font-size:12px;color:#6b7280\">")
            .append(
                Html.escape(
                    h.changePp() == null
                        ? "no previous data"
                        : Rates.change(h.changePp()) + " vs " + Rates.pct(h.prev())))
            .append("</div>");
        if (!h.reliable()) {
          b.append("<div style=\"font-size:12px;color:#6b7280\">fewer than ")
              .append(s.alertThresholds().minSamples())
              .append(" samples: not conclusive</div>");
        }
      }
      b.append("</td>");
    }
    b.append("</tr></table>");
    b.append(
        "<table role=\"presentation\" style=\"border-collapse:collapse;margin:0 0 16px\"><tr>");
    for (String[] kv : totals(s)) {
      b.append("<td style=\"padding:8px 18px 8px 0\"><div style=\"font-size:12px;color:#6b7280\">")
          .append(Html.escape(kv[0]))
          .append("</div><div style=\"font-size:20px;font-weight:bold\">")
          .append(Html.escape(kv[1]))
          .append("</div></td>");
    }
    b.append("</tr></table>");
    if (!s.fetchErrorsByCode().isEmpty()) {
      b.append("<p style=\"margin:0 0 12px\">Fetch errors: ");
      List<String> parts = new ArrayList<>();
      s.fetchErrorsByCode().forEach((k, v) -> parts.add(Html.escape(k) + " " + v));
      b.append(String.join(", ", parts)).append("</p>");
    }
    b.append(
        "<h2 style=\"font-size:16px;margin:18px 0 6px\">Findings</h2><ul"
            + " style=\"margin:0;padding-left:20px\">");
    for (String f : s.findings()) {
      b.append("<li style=\"margin:4px 0\">").append(Html.escape(f)).append("</li>");
    }
    b.append("</ul>");
    for (ReportTable t : s.tables().values()) {
      if (t.fileName().equals(ReportCatalog.CODEC_DISTRIBUTION)) {
        continue;
      }
      b.append("<h2 style=\"font-size:16px;margin:22px 0 6px\">")
          .append(Html.escape(title(t.fileName())))
          .append("</h2>");
      b.append("<table style=\"border-collapse:collapse;font-size:13px\"><tr>");
      for (String c : t.columns()) {
        b.append("<th ")
            .append(th)
            .append(">")
            .append(Html.escape(c.replace('_', ' ')))
            .append("</th>");
      }
      b.append("</tr>");
      for (List<Object> r : t.rows()) {
        boolean total = ALL.equals(r.get(0));
        b.append("<tr>");
        for (int i = 0; i < r.size(); i++) {
          Object v = r.get(i);
          b.append("<td style=\"padding:5px 10px;border-bottom:1px solid #e5e7eb;")
              .append(v instanceof Number ? "text-align:right;" : "")
              .append(total ? "font-weight:bold;" : "")
              .append("\">")
              .append(Html.escape(display(t.columns().get(i), v)))
              .append("</td>");
        }
        b.append("</tr>");
      }
      b.append("</table>");
    }
    b.append(
        "<p style=\"margin:22px 0 0;color:#6b7280;font-size:12px\">All reports are attached as CSV"
            + " (UTF-8).</p>");
    b.append("</div></body></html>\n");
    return b.toString();
  }

  /** The alerts that fired, first on the page. */
  private static void alerts(StringBuilder b, ReportSummary s) {
    if (s.alerts().isEmpty()) {
      return;
    }
    b.append("<div class=\"alerts\" role=\"alert\"><h2>")
        .append(s.alerts().size() == 1 ? "1 alert" : s.alerts().size() + " alerts")
        .append("</h2><ul>");
    for (Alert a : s.alerts()) {
      b.append("<li>").append(Html.escape(a.message())).append("</li>");
    }
    b.append("</ul></div>");
  }

  /**
   * "▲ 12.50 pp vs 70.8%" with a class for its direction, or a note that there is nothing to
   * compare.
   */
  private static String changeHtml(ReportSummary.Headline h) {
    if (h.changePp() == null) {
      return "<span class=\"flat\">no previous data</span>";
    }
    String cls = Math.abs(h.changePp()) < 0.005 ? "flat" : h.changePp() > 0 ? "up" : "down";
    if (h.metric().equals("conformance_rate") && !cls.equals("flat")) {
      cls = cls.equals("up") ? "down" : "up";
    }
    return "<span class=\""
        + cls
        + "\">"
        + Html.escape(Rates.change(h.changePp()))
        + "</span> vs "
        + Html.escape(Rates.pct(h.prev()))
        + " in the previous window";
  }

  private static void cards(StringBuilder b, ReportSummary s) {
    b.append("<div class=\"cards\">");
    for (ReportSummary.Headline h : s.headlines()) {
      b.append("<div class=\"card\"><div class=\"k\">")
          .append(Html.escape(h.title()))
          .append("</div>");
      if (h.rate() == null) {
        b.append("<div class=\"v\">&mdash;</div><div class=\"s\">no ")
            .append(
                h.metric().startsWith("failure") ? "takeover attempts" : "evaluated video tracks")
            .append("</div></div>");
        continue;
      }
      b.append("<div class=\"v\">").append(Html.escape(Rates.pct(h.rate()))).append("</div>");
      b.append("<div class=\"ci\">")
          .append(Html.escape(Rates.countWithInterval(h.k(), h.n())))
          .append("</div>");
      b.append("<div class=\"s\">").append(changeHtml(h)).append("</div>");
      if (!h.reliable()) {
        b.append("<div class=\"s\">fewer than ")
            .append(s.alertThresholds().minSamples())
            .append(" samples: not conclusive</div>");
      }
      b.append("</div>");
    }
    for (String[] kv : totals(s)) {
      b.append("<div class=\"card\"><div class=\"k\">")
          .append(Html.escape(kv[0]))
          .append("</div><div class=\"v\">")
          .append(Html.escape(kv[1]))
          .append("</div>");
      if (kv.length > 2) {
        b.append("<div class=\"s\">").append(Html.escape(kv[2])).append("</div>");
      }
      b.append("</div>");
    }
    b.append("</div>");
  }

  private static List<String[]> totals(ReportSummary s) {
    List<String> codes = new ArrayList<>();
    s.fetchErrorsByCode().forEach((k, v) -> codes.add(k + " " + v));
    List<String[]> out = new ArrayList<>();
    out.add(
        new String[] {
          "Sessions",
          n(s.sessions()),
          s.liveSessions() > 0 ? s.liveSessions() + " still live" : "all ended"
        });
    out.add(new String[] {"Channels", n(s.channels())});
    out.add(new String[] {"Video tracks", n(s.videoTracks())});
    out.add(new String[] {"Audio tracks", n(s.audioTracks())});
    out.add(
        codes.isEmpty()
            ? new String[] {"Fetch errors", "0"}
            : new String[] {"Fetch errors", n(s.fetchErrors()), String.join(", ", codes)});
    return out;
  }

  private static String dailyChart(ReportTable daily) {
    Map<String, Map<String, Long>> byType = new LinkedHashMap<>();
    LinkedHashSet<String> days = new LinkedHashSet<>();
    byType.put(ALL, new LinkedHashMap<>());
    for (List<Object> r : daily.rows()) {
      days.add((String) r.get(0));
      byType
          .computeIfAbsent(label(r.get(1)), k -> new LinkedHashMap<>())
          .put((String) r.get(0), daily.longCell(r, "sessions"));
    }
    List<String> x = new ArrayList<>(days);
    List<Svg.Series> series = new ArrayList<>();
    byType.forEach(
        (type, values) -> {
          double[] v = new double[x.size()];
          for (int i = 0; i < x.size(); i++) {
            v[i] = values.getOrDefault(x.get(i), 0L);
          }
          series.add(new Svg.Series(type.equals(ALL) ? "all types" : type, v));
        });
    return Svg.lines("Sessions per day", x, series);
  }

  private static String codecChart(ReportTable codecs, String media) {
    Map<String, List<Svg.Segment>> stacks = new LinkedHashMap<>();
    Map<String, Map<String, Double>> shares = new LinkedHashMap<>();
    LinkedHashSet<String> families = new LinkedHashSet<>();
    Map<String, Double> familyTotal = new LinkedHashMap<>();
    for (List<Object> r : codecs.rows()) {
      if (!media.equals(r.get(1))) {
        continue;
      }
      String fam = label(r.get(2));
      double share =
          codecs.cell(r, "share_of_tracks") == null
              ? 0
              : ((Number) codecs.cell(r, "share_of_tracks")).doubleValue();
      shares
          .computeIfAbsent(label(r.get(0)), k -> new LinkedHashMap<>())
          .merge(fam, share, Double::sum);
      familyTotal.merge(fam, (double) codecs.longCell(r, "tracks"), Double::sum);
    }
    if (shares.isEmpty()) {
      return "";
    }
    familyTotal.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> families.add(e.getKey()));
    List<String> legend = new ArrayList<>(families);
    List<Svg.Stack> rows = new ArrayList<>();
    shares.forEach(
        (type, m) -> {
          List<Svg.Segment> segs = new ArrayList<>();
          for (String fam : legend) {
            if (m.containsKey(fam)) {
              segs.add(new Svg.Segment(fam, m.get(fam)));
            }
          }
          stacks.put(type, segs);
          rows.add(new Svg.Stack(type, segs));
        });
    return "<h3>"
        + Html.escape(media.substring(0, 1).toUpperCase(Locale.ROOT) + media.substring(1))
        + " codec families, share of tracks</h3>"
        + Svg.stacks(media + " codec share per channel type", rows, legend);
  }

  private static void extra(StringBuilder b, ReportTable t, String title, String noteHtml) {
    if (t == null) {
      return;
    }
    b.append("<h3>")
        .append(Html.escape(title))
        .append(" <span class=\"muted\">&middot; ")
        .append(Html.escape(t.fileName()))
        .append("</span></h3><p class=\"note\">")
        .append(noteHtml)
        .append("</p>");
    table(b, t);
  }

  /** The merged interval column of the page (two CSV columns, one cell: "69–89%"). */
  private static final String CI = "95% CI";

  /**
   * For the page only: a rate's {@code _ci_low}/{@code _ci_high} pair becomes one "95% CI" cell
   * ("69–89%") right after the rate, and the previous rate and change read "previous" and "change",
   * so the widest tables fit a 1280 px screen. The CSV keeps the contract's columns.
   */
  private static ReportTable condensed(ReportTable t) {
    List<String> cols = t.columns();
    if (cols.stream().noneMatch(c -> c.endsWith("_ci_low"))) {
      return t;
    }
    List<String> out = new ArrayList<>();
    for (String c : cols) {
      if (c.endsWith("_ci_high")) {
        continue;
      }
      out.add(
          c.endsWith("_ci_low")
              ? CI
              : c.startsWith("prev_") ? "previous" : c.endsWith("_change_pp") ? "change_pp" : c);
    }
    List<List<Object>> rows = new ArrayList<>();
    for (List<Object> r : t.rows()) {
      List<Object> row = new ArrayList<>();
      for (int i = 0; i < cols.size(); i++) {
        String c = cols.get(i);
        if (c.endsWith("_ci_high")) {
          continue;
        }
        if (c.endsWith("_ci_low")) {
          Object high = r.get(cols.indexOf(c.replace("_ci_low", "_ci_high")));
          row.add(
              r.get(i) == null || high == null
                  ? null
                  : Rates.interval(
                      ((Number) r.get(i)).doubleValue(), ((Number) high).doubleValue()));
        } else {
          row.add(r.get(i));
        }
      }
      rows.add(row);
    }
    return new ReportTable(t.fileName(), out, rows);
  }

  private static void table(StringBuilder b, ReportTable full) {
    ReportTable t = condensed(full);
    b.append("<div class=\"scroll\"><table><thead><tr>");
    List<Boolean> numeric = new ArrayList<>();
    for (int i = 0; i < t.columns().size(); i++) {
      final int col = i;
      boolean num =
          t.columns().get(i).equals(CI)
              || t.rows().stream().anyMatch(r -> r.get(col) instanceof Number);
      numeric.add(num);
      b.append("<th")
          .append(num ? " class=\"num\"" : "")
          .append(">")
          .append(Html.escape(t.columns().get(i).replace('_', ' ')))
          .append("</th>");
    }
    b.append("</tr></thead><tbody>");
    if (t.rows().isEmpty()) {
      b.append("<tr><td colspan=\"")
          .append(t.columns().size())
          .append("\" class=\"muted\">no rows</td></tr>");
    }
    for (List<Object> r : t.rows()) {
      boolean total =
          ALL.equals(r.get(0))
              || (r.size() > 1
                  && ALL.equals(r.get(1))
                  && t.fileName().equals(ReportCatalog.DAILY_SESSIONS));
      b.append(total ? "<tr class=\"total\">" : "<tr>");
      for (int i = 0; i < r.size(); i++) {
        Object v = r.get(i);
        String cls =
            numeric.get(i)
                ? " class=\"num\""
                : WRAP.contains(t.columns().get(i)) ? " class=\"wrap\"" : "";
        b.append("<td").append(cls).append(">");
        if (v == null) {
          b.append("<span class=\"muted\">&mdash;</span>");
        } else {
          b.append(Html.escape(display(t.columns().get(i), v)));
        }
        b.append("</td>");
      }
      b.append("</tr>");
    }
    b.append("</tbody></table></div>");
  }

  /** Long text columns that wrap instead of widening the table. */
  private static final java.util.Set<String> WRAP =
      java.util.Set.of("channel_arn", "channel_name", "channel_type", "tags", "encoder");

  /**
   * top_channels for the page: name, type and the numbers first, then tags and the ARN (which
   * wrap), so the counts stay in view on a narrow screen. The CSV keeps the contract's order.
   */
  private static ReportTable topChannelsNumbersFirst(ReportTable t) {
    if (t == null) {
      return null;
    }
    List<String> order =
        List.of(
            "channel_name",
            "channel_type",
            "sessions",
            "live_sessions",
            "streamed_hours",
            "tags",
            "channel_arn");
    List<List<Object>> rows = new ArrayList<>();
    for (List<Object> r : t.rows()) {
      List<Object> out = new ArrayList<>();
      for (String c : order) {
        out.add(t.cell(r, c));
      }
      rows.add(out);
    }
    return new ReportTable(t.fileName(), order, rows);
  }

  /**
   * Small multiples of weekly_trends: one small chart per channel type (ALL first) for each
   * measure.
   */
  private static void weeklyMultiples(StringBuilder b, ReportTable t, long minSamples) {
    LinkedHashSet<String> weeks = new LinkedHashSet<>();
    Map<String, Map<String, List<Object>>> byType = new LinkedHashMap<>();
    byType.put(ALL, new LinkedHashMap<>());
    for (List<Object> r : t.rows()) {
      weeks.add((String) r.get(0));
      byType.computeIfAbsent(label(r.get(2)), k -> new LinkedHashMap<>()).put((String) r.get(0), r);
    }
    List<String> x = new ArrayList<>(weeks);
    String[][] measures = {
      {"sessions", "Sessions", "", ""},
      {"failure_rate", "Takeover failure rate", "takeover_attempts", ""},
      {"conformance_rate", "Bitrate conformance", "evaluated_video_tracks", ""}
    };
    for (String[] m : measures) {
      b.append("<h3>").append(Html.escape(m[1])).append(" per week</h3><div class=\"multiples\">");
      boolean rate = !m[2].isEmpty();
      byType.forEach(
          (type, rows) -> {
            Double[] values = new Double[x.size()];
            boolean[] weak = new boolean[x.size()];
            boolean any = false;
            for (int i = 0; i < x.size(); i++) {
              List<Object> r = rows.get(x.get(i));
              Object v = r == null ? (rate ? null : 0L) : t.cell(r, m[0]);
              values[i] = v == null ? null : ((Number) v).doubleValue();
              weak[i] = rate && r != null && t.longCell(r, m[2]) < minSamples;
              any |= values[i] != null && (rate || values[i] > 0);
            }
            if (!any) {
              return;
            }
            b.append("<figure><figcaption>")
                .append(Html.escape(type.equals(ALL) ? "all types" : type))
                .append("</figcaption>")
                .append(Svg.small(m[1] + " per week, " + type, x, values, weak, rate))
                .append("</figure>");
          });
      b.append("</div>");
    }
  }

  /**
   * A cell for people: rates as percent, changes in pp with a sign, counts with thousands
   * separators.
   */
  static String display(String column, Object v) {
    if (v == null) {
      return "—";
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (column.endsWith("_pp")) {
        return Math.abs(d) < 0.005 ? "0.00 pp" : String.format(Locale.ROOT, "%+.2f pp", d);
      }
      if (column.endsWith("_rate")
          || column.contains("_rate_ci_")
          || column.startsWith("share_")
          || column.equals("previous")) {
        return String.format(Locale.ROOT, "%.1f%%", d * 100);
      }
      return String.format(Locale.ROOT, "%,.1f", d);
    }
    if (v instanceof Number) {
      return String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
    }
    return v.toString();
  }

  private static String title(String fileName) {
    String base = fileName.replace(".csv", "").replace('_', ' ');
    return base.substring(0, 1).toUpperCase(Locale.ROOT) + base.substring(1);
  }

  private static String label(Object channelType) {
    return channelType == null ? "(none)" : channelType.toString();
  }

  private static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  private HtmlReport() {}
}
