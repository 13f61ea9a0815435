package io.ivsanalytics.reports;

import io.ivsanalytics.model.report.Rates;
import io.ivsanalytics.model.report.ReportTable;
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
      Map<String, Long> fetchErrorsByCode,
      long minSamples) {
    List<String> out = new ArrayList<>();
    if (sessions == 0) {
      out.add("No sessions started in this window.");
    }
    takeover(takeover, minSamples, out);
    conformance(conformance, minSamples, out);
    topCodec(codecs, "video", minSamples, out);
    busiestDay(daily, out);
    if (liveSessions > 0) {
      out.add(
          String.format(
              Locale.ROOT,
              "%,d %s still live when fetched (no duration yet).",
              liveSessions,
              liveSessions == 1 ? "session was" : "sessions were"));
    }
    long errors = fetchErrorsByCode.values().stream().mapToLong(Long::longValue).sum();
    if (errors > 0) {
      out.add(
          String.format(
              Locale.ROOT,
              "%,d %s could not be fetched: %s.",
              errors,
              errors == 1 ? "id" : "ids",
              fetchErrorsByCode.entrySet().stream()
                  .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                  .map(e -> (e.getKey() == null ? "(no code)" : e.getKey()) + " " + e.getValue())
                  .collect(Collectors.joining(", "))));
    }
    return out;
  }

  private static void takeover(ReportTable t, long minSamples, List<String> out) {
    List<Object> all = allRow(t);
    long attempts = t.longCell(all, "takeover_attempts");
    long failures = t.longCell(all, "takeover_failures");
    if (attempts == 0) {
      out.add("No stream takeovers were attempted.");
      return;
    }
    if (attempts < minSamples) {
      out.add(
          String.format(
              Locale.ROOT,
              "Only %,d stream takeover %s (fewer than %,d): %,d failed (%s); too few to rank"
                  + " channel types or alert on.",
              attempts,
              attempts == 1 ? "attempt" : "attempts",
              minSamples,
              failures,
              Rates.countWithInterval(failures, attempts)));
    } else {
      out.add(
          String.format(
              Locale.ROOT,
              "Takeover failure rate: %s (%s)%s.",
              Rates.pct((Double) t.cell(all, "failure_rate")),
              Rates.countWithInterval(failures, attempts),
              versus(t, all, "failure_rate")));
    }
    rank(
        t,
        "failure_rate",
        PreviousWindow.TAKEOVER_FAILURES,
        minSamples,
        true,
        "highest takeover failure rate",
        "takeover attempts",
        out);
    if (failures == 0) {
      return;
    }
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
    out.add(
        String.format(
            Locale.ROOT,
            "Most common takeover failure: %s (%,d of %,d failures).",
            top,
            topN,
            failures));
  }

  private static void conformance(ReportTable t, long minSamples, List<String> out) {
    List<Object> all = allRow(t);
    long unevaluated = 0;
    List<String> unknownTypes = new ArrayList<>();
    for (List<Object> r : t.rows()) {
      if (r != all && t.cell(r, "conformant_tracks") == null) {
        unevaluated += t.longCell(r, "video_tracks");
        unknownTypes.add(name(r.get(0)));
      }
    }
    Double rate = (Double) t.cell(all, "conformance_rate");
    if (rate != null) {
      long conformant = t.longCell(all, "conformant_tracks");
      long evaluated = BitrateConformanceReport.evaluatedTracks(t, all);
      String overs =
          String.format(
              Locale.ROOT,
              "%,d over bitrate, %,d over resolution, %,d over frame rate",
              t.longCell(all, "over_bitrate"),
              t.longCell(all, "over_resolution"),
              t.longCell(all, "over_framerate"));
      if (evaluated < minSamples) {
        out.add(
            String.format(
                Locale.ROOT,
                "Only %,d evaluated video %s (fewer than %,d): %,d conform (%s); %s.",
                evaluated,
                evaluated == 1 ? "track" : "tracks",
                minSamples,
                conformant,
                Rates.countWithInterval(conformant, evaluated),
                overs));
      } else {
        out.add(
            String.format(
                Locale.ROOT,
                "%s of video tracks conform to their channel type's limits (%s)%s; %s.",
                Rates.pct(rate),
                Rates.countWithInterval(conformant, evaluated),
                versus(t, all, "conformance_rate"),
                overs));
      }
    }
    rank(
        t,
        "conformance_rate",
        PreviousWindow.CONFORMANT_TRACKS,
        minSamples,
        false,
        "lowest bitrate conformance",
        "evaluated video tracks",
        out);
    if (unevaluated > 0) {
      out.add(
          String.format(
              Locale.ROOT,
              "%,d video %s on channel types without configured limits (%s) %s not evaluated.",
              unevaluated,
              unevaluated == 1 ? "track" : "tracks",
              String.join(", ", unknownTypes),
              unevaluated == 1 ? "was" : "were"));
    }
  }

  /**
   * "X has the highest ...": ranks only the channel types whose denominator reaches minSamples, and
   * only when at least two do; names the types left out for too few samples.
   */
  private static void rank(
      ReportTable t,
      String rateColumn,
      PreviousWindow.Counts counts,
      long minSamples,
      boolean highest,
      String what,
      String unit,
      List<String> out) {
    List<Object> best = null;
    int ranked = 0;
    List<String> tooFew = new ArrayList<>();
    for (List<Object> r : t.rows()) {
      if (Agg.ALL.equals(r.get(0))) {
        continue;
      }
      Double rate = (Double) t.cell(r, rateColumn);
      long n = counts.n(t, r);
      if (rate == null || n == 0) {
        continue;
      }
      if (n < minSamples) {
        tooFew.add(name(r.get(0)));
        continue;
      }
      ranked++;
      Double bestRate = best == null ? null : (Double) t.cell(best, rateColumn);
      if (best == null || (highest ? rate > bestRate : rate < bestRate)) {
        best = r;
      }
    }
    double bestRate = best == null ? 0 : (Double) t.cell(best, rateColumn);
    boolean notable = highest ? bestRate > 0 : bestRate < 1;
    if (ranked >= 2 && notable) {
      out.add(
          String.format(
              Locale.ROOT,
              "%s has the %s: %s (%s)%s.",
              name(best.get(0)),
              what,
              Rates.pct(bestRate),
              Rates.countWithInterval(counts.k(t, best), counts.n(t, best), unit),
              versus(t, best, rateColumn)));
    }
    if (!tooFew.isEmpty() && (ranked >= 2 || ranked + tooFew.size() >= 2)) {
      out.add(
          String.format(
              Locale.ROOT,
              "Not ranked for %s, fewer than %,d %s: %s.",
              what.replaceFirst("^(highest|lowest) ", ""),
              minSamples,
              unit,
              String.join(", ", tooFew)));
    }
  }

  /** ", up 12.50 pp from 70.8% in the previous window", or "" when there is nothing to compare. */
  private static String versus(ReportTable t, List<Object> row, String rateColumn) {
    Double change = (Double) t.cell(row, rateColumn + "_change_pp");
    Double prev = (Double) t.cell(row, "prev_" + rateColumn);
    if (change == null || prev == null) {
      return "";
    }
    if (Math.abs(change) < 0.005) {
      return String.format(
          Locale.ROOT, ", unchanged from the previous window (%s)", Rates.pct(prev));
    }
    return String.format(
        Locale.ROOT,
        ", %s %.2f pp from %s in the previous window",
        change > 0 ? "up" : "down",
        Math.abs(change),
        Rates.pct(prev));
  }

  private static List<Object> allRow(ReportTable t) {
    return t.rows().get(t.rows().size() - 1);
  }

  private static void topCodec(ReportTable t, String media, long minSamples, List<String> out) {
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
    Map.Entry<String, Long> top =
        families.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
    out.add(
        String.format(
            Locale.ROOT,
            "%s carries %s of %s tracks (%s).",
            top.getKey(),
            Rates.pct((double) top.getValue() / total),
            media,
            total < minSamples
                ? Rates.countWithInterval(top.getValue(), total)
                : String.format(Locale.ROOT, "%,d of %,d", top.getValue(), total)));
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
      long channels = t.longCell(best, "channels");
      out.add(
          String.format(
              Locale.ROOT,
              "Busiest day: %s with %,d sessions on %,d %s.",
              best.get(0),
              t.longCell(best, "sessions"),
              channels,
              channels == 1 ? "channel" : "channels"));
    }
  }

  private static String name(Object channelType) {
    return channelType == null ? "(no channel type)" : channelType.toString();
  }

  private Findings() {}
}
