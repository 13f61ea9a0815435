package io.ivsanalytics.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Short computed sentences for the top of the report and the email. Plain text, not escaped. */
final class Findings {

  static List<String> of(
      ReportTable takeover,
      ReportTable codecs,
      ReportTable conformance,
      ReportTable daily,
      long sessions,
      long liveSessions,
      Map<String, Long> fetchErrorsByCode) {
    List<String> out = new ArrayList<>();
    if (sessions == 0) {
      out.add("No sessions started in this window.");
    }
    takeover(takeover, out);
    conformance(conformance, out);
    topCodec(codecs, "video", out);
    busiestDay(daily, out);
    if (liveSessions > 0) {
      out.add(String.format(Locale.ROOT, "%,d %s still live when fetched (no duration yet).",
          liveSessions, liveSessions == 1 ? "session was" : "sessions were"));
    }
    long errors = fetchErrorsByCode.values().stream().mapToLong(Long::longValue).sum();
    if (errors > 0) {
      out.add(String.format(Locale.ROOT, "%,d %s could not be fetched: %s.", errors,
          errors == 1 ? "session" : "sessions",
          fetchErrorsByCode.entrySet().stream()
              .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
              .map(e -> (e.getKey() == null ? "(no code)" : e.getKey()) + " " + e.getValue())
              .collect(Collectors.joining(", "))));
    }
    return out;
  }

  private static void takeover(ReportTable t, List<String> out) {
    List<Object> worst = null;
    double worstRate = -1;
    List<Object> all = null;
    for (List<Object> r : t.rows()) {
      if (Agg.ALL.equals(r.get(0))) {
        all = r;
        continue;
      }
      Double rate = (Double) t.cell(r, "failure_rate");
      if (rate != null && rate > worstRate) {
        worst = r;
        worstRate = rate;
      }
    }
    if (all == null || t.longCell(all, "takeover_attempts") == 0) {
      out.add("No stream takeovers were attempted.");
      return;
    }
    long failures = t.longCell(all, "takeover_failures");
    if (failures == 0) {
      out.add(String.format(Locale.ROOT, "All %,d stream takeovers succeeded.", t.longCell(all, "takeover_attempts")));
      return;
    }
    out.add(String.format(Locale.ROOT, "%s has the highest takeover failure rate: %s (%,d of %,d).",
        name(worst.get(0)), pct(worstRate), t.longCell(worst, "takeover_failures"), t.longCell(worst, "takeover_attempts")));
    String[][] codes = {
      {"invalid_priority", "StreamTakeoverInvalidPriority"},
      {"media_mismatch", "StreamTakeoverMediaMismatch"},
      {"limit_breached", "StreamTakeoverLimitBreached"},
      {"other_failure_code", "another or no code"}
    };
    String top = null;
    long topN = 0;
    for (String[] c : codes) {
      long n = t.longCell(all, c[0]);
      if (n > topN) {
        top = c[1];
        topN = n;
      }
    }
    out.add(String.format(Locale.ROOT, "Most common takeover failure: %s (%,d of %,d failures).", top, topN, failures));
  }

  private static void conformance(ReportTable t, List<String> out) {
    List<Object> worst = null;
    double worstRate = 2;
    long evaluatedTypes = 0;
    long unevaluated = 0;
    List<String> unknownTypes = new ArrayList<>();
    List<Object> all = null;
    for (List<Object> r : t.rows()) {
      if (Agg.ALL.equals(r.get(0))) {
        all = r;
        continue;
      }
      Double rate = (Double) t.cell(r, "conformance_rate");
      if (t.cell(r, "conformant_tracks") == null) {
        unevaluated += t.longCell(r, "video_tracks");
        unknownTypes.add(name(r.get(0)));
        continue;
      }
      if (rate != null) {
        evaluatedTypes++;
        if (rate < worstRate) {
          worst = r;
          worstRate = rate;
        }
      }
    }
    if (all != null && t.cell(all, "conformance_rate") != null) {
      long conformant = t.longCell(all, "conformant_tracks");
      long evaluated = t.longCell(all, "video_tracks") - unevaluated;
      out.add(String.format(Locale.ROOT,
          "%s of video tracks conform to their channel type's limits (%,d of %,d); %,d over bitrate, %,d over resolution, %,d over frame rate.",
          pct((Double) t.cell(all, "conformance_rate")), conformant, evaluated,
          t.longCell(all, "over_bitrate"), t.longCell(all, "over_resolution"), t.longCell(all, "over_framerate")));
    }
    if (evaluatedTypes > 1 && worst != null && worstRate < 1.0) {
      out.add(String.format(Locale.ROOT, "%s has the lowest bitrate conformance: %s (%,d of %,d video tracks).",
          name(worst.get(0)), pct(worstRate), t.longCell(worst, "conformant_tracks"), t.longCell(worst, "video_tracks")));
    }
    if (unevaluated > 0) {
      out.add(String.format(Locale.ROOT, "%,d video %s on channel types without configured limits (%s) %s not evaluated.",
          unevaluated, unevaluated == 1 ? "track" : "tracks", String.join(", ", unknownTypes), unevaluated == 1 ? "was" : "were"));
    }
  }

  private static void topCodec(ReportTable t, String media, List<String> out) {
    Map<String, Long> families = new java.util.TreeMap<>();
    long total = 0;
    for (List<Object> r : t.rows()) {
      if (media.equals(r.get(1))) {
        long n = t.longCell(r, "tracks");
        families.merge(name(r.get(2)), n, Long::sum);
        total += n;
      }
    }
    if (total == 0) {
      return;
    }
    Map.Entry<String, Long> top = families.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
    out.add(String.format(Locale.ROOT, "%s carries %s of %s tracks (%,d of %,d).",
        top.getKey(), pct((double) top.getValue() / total), media, top.getValue(), total));
  }

  private static void busiestDay(ReportTable t, List<String> out) {
    List<Object> best = null;
    int days = 0;
    for (List<Object> r : t.rows()) {
      if (Agg.ALL.equals(r.get(1))) {
        days++;
        if (best == null || t.longCell(r, "sessions") > t.longCell(best, "sessions")) {
          best = r;
        }
      }
    }
    if (days > 1 && best != null && t.longCell(best, "sessions") > 0) {
      out.add(String.format(Locale.ROOT, "Busiest day: %s with %,d sessions on %,d channels.",
          best.get(0), t.longCell(best, "sessions"), t.longCell(best, "channels")));
    }
  }

  static String pct(double rate) {
    String s = String.format(Locale.ROOT, "%.1f%%", rate * 100);
    return s;
  }

  private static String name(Object channelType) {
    return channelType == null ? "(no channel type)" : channelType.toString();
  }

  private Findings() {}
}
