package io.ivsanalytics.output;

import java.util.List;
import java.util.Locale;

/** Small inline SVG charts for report.html (no scripts, no external references). */
final class Svg {
  static final String[] PALETTE = {
    "#2563eb", "#f59e0b", "#16a34a", "#db2777", "#7c3aed", "#0891b2", "#dc2626", "#65a30d",
    "#64748b"
  };

  /** One horizontal bar: label, value in [0, max], text shown after the bar. */
  record Bar(String label, double value, String text) {}

  /** A segment of a 100% stacked bar. */
  record Segment(String name, double share) {}

  /** A row of a 100% stacked bar chart. */
  record Stack(String label, List<Segment> segments) {}

  /** A line of a trend chart: one value per x position. */
  record Series(String name, double[] values) {}

  private static final int WIDTH = 720;
  private static final int LABEL_W = 150;
  private static final int TEXT_W = 300;

  static String hbars(String title, List<Bar> bars, double max, String color) {
    int rowH = 30;
    int h = bars.size() * rowH + 10;
    StringBuilder b = open(title, h);
    int barSpace = WIDTH - LABEL_W - TEXT_W;
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      int y = 5 + i * rowH;
      double w = max <= 0 ? 0 : Math.max(0, Math.min(1, bar.value() / max)) * barSpace;
      b.append(
          f(
              "<text x=\"%d\" y=\"%d\" class=\"lbl\" text-anchor=\"end\">%s</text>",
              LABEL_W - 10, y + 19, Html.escape(clip(bar.label()))));
      b.append(
          f(
              "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"20\" rx=\"3\" fill=\"#eef2f7\"/>",
              LABEL_W, y + 5, barSpace));
      b.append(
          f(
              "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"20\" rx=\"3\" fill=\"%s\"/>",
              LABEL_W, y + 5, w, color));
      b.append(
          f(
              "<text x=\"%d\" y=\"%d\" class=\"val\">%s</text>",
              LABEL_W + barSpace + 8, y + 19, Html.escape(bar.text())));
    }
    return b.append("</svg>").toString();
  }

  static String stacks(String title, List<Stack> stacks, List<String> legend) {
    int rowH = 30;
    int legendRows = (legend.size() + 4) / 5;
    int h = stacks.size() * rowH + 14 + legendRows * 22;
    StringBuilder b = open(title, h);
    int barSpace = WIDTH - LABEL_W - 20;
    for (int i = 0; i < stacks.size(); i++) {
      Stack s = stacks.get(i);
      int y = 5 + i * rowH;
      b.append(
          f(
              "<text x=\"%d\" y=\"%d\" class=\"lbl\" text-anchor=\"end\">%s</text>",
              LABEL_W - 10, y + 19, Html.escape(clip(s.label()))));
      double x = LABEL_W;
      for (Segment seg : s.segments()) {
        double w = seg.share() * barSpace;
        String color = PALETTE[Math.max(0, legend.indexOf(seg.name())) % PALETTE.length];
        b.append(
            f(
                "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\"><title>%s"
                    + " %s</title></rect>",
                x, y + 5, w, color, Html.escape(seg.name()), Html.escape(pct(seg.share()))));
        if (w > 44) {
          b.append(
              f(
                  "<text x=\"%.1f\" y=\"%d\" class=\"in\">%s</text>",
                  x + 6, y + 19, Html.escape(pct(seg.share()))));
        }
        x += w;
      }
    }
    legend(b, legend, stacks.size() * rowH + 14);
    return b.append("</svg>").toString();
  }

  static String lines(String title, List<String> xLabels, List<Series> series) {
    int h = 260;
    int left = 50;
    int right = 20;
    int top = 10;
    int plotH = 170;
    int legendY = top + plotH + 42;
    int legendRows = (series.size() + 4) / 5;
    StringBuilder b = open(title, legendY + legendRows * 22);
    double max = 1;
    for (Series s : series) {
      for (double v : s.values()) {
        max = Math.max(max, v);
      }
    }
    long tickStep = countStep(max);
    int ticks = (int) Math.ceil(max / tickStep);
    max = tickStep * ticks;
    int plotW = WIDTH - left - right;
    int n = xLabels.size();
    for (int t = 0; t <= ticks; t++) {
      double v = (double) tickStep * t;
      double y = top + plotH - plotH * t / (double) ticks;
      b.append(
          f(
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e7eb\"/>",
              left, y, left + plotW, y));
      b.append(
          f(
              "<text x=\"%d\" y=\"%.1f\" class=\"axis\" text-anchor=\"end\">%s</text>",
              left - 6, y + 4, fmt(v)));
    }
    int step = Math.max(1, (int) Math.ceil(n / 10.0));
    for (int i = 0; i < n; i++) {
      if (i % step == 0 || i == n - 1) {
        b.append(
            f(
                "<text x=\"%.1f\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">%s</text>",
                x(i, n, left, plotW), top + plotH + 18, Html.escape(shortDate(xLabels.get(i)))));
      }
    }
    for (int s = 0; s < series.size(); s++) {
      Series ser = series.get(s);
      String color = PALETTE[s % PALETTE.length];
      StringBuilder pts = new StringBuilder();
      for (int i = 0; i < n; i++) {
        double y = top + plotH - plotH * ser.values()[i] / max;
        pts.append(f("%.1f,%.1f ", x(i, n, left, plotW), y));
      }
      b.append(
          f(
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%s\" points=\"%s\"/>",
              color, s == 0 ? "3" : "2", pts.toString().strip()));
      for (int i = 0; i < n; i++) {
        double y = top + plotH - plotH * ser.values()[i] / max;
        b.append(
            f(
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s %s:"
                    + " %s</title></circle>",
                x(i, n, left, plotW),
                y,
                color,
                Html.escape(ser.name()),
                Html.escape(xLabels.get(i)),
                fmt(ser.values()[i])));
      }
    }
    legend(b, series.stream().map(Series::name).toList(), legendY - 14);
    return b.append("</svg>").toString();
  }

  private static void legend(StringBuilder b, List<String> names, int y0) {
    for (int i = 0; i < names.size(); i++) {
      int x = 20 + (i % 5) * 140;
      int y = y0 + (i / 5) * 22;
      b.append(
          f(
              "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" rx=\"2\" fill=\"%s\"/>",
              x, y + 4, PALETTE[i % PALETTE.length]));
      b.append(
          f(
              "<text x=\"%d\" y=\"%d\" class=\"lbl\">%s</text>",
              x + 18, y + 15, Html.escape(names.get(i))));
    }
  }

  private static double x(int i, int n, int left, int plotW) {
    return n <= 1 ? left + plotW / 2.0 : left + plotW * (double) i / (n - 1);
  }

  private static StringBuilder open(String title, int h) {
    StringBuilder b = new StringBuilder();
    b.append(
        f(
            "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"100%%\""
                + " preserveAspectRatio=\"xMinYMin meet\">",
            WIDTH, h));
    b.append("<title>").append(Html.escape(title)).append("</title>");
    return b;
  }

  /**
   * A whole-number tick step for counts up to {@code max}: the smallest of 1, 2, 5, 10, 20, 25, 50,
   * 100, ... that needs at most 5 ticks above zero.
   */
  static long countStep(double max) {
    for (long p = 1; ; p *= 10) {
      long[] steps =
          p >= 10 ? new long[] {p, 2 * p, p / 10 * 25, 5 * p} : new long[] {p, 2 * p, 5 * p};
      for (long step : steps) {
        if (Math.ceil(max / step) <= 5) {
          return step;
        }
      }
    }
  }

  /**
   * A small line chart for small multiples: one value per week (null = no data, a gap), counts on a
   * whole-number axis or rates on 0..100 %; points marked {@code weak} (too few samples) are drawn
   * hollow.
   */
  static String small(
      String title, List<String> xLabels, Double[] values, boolean[] weak, boolean rate) {
    int w = 260;
    int h = 120;
    int left = 40;
    int right = 8;
    int top = 8;
    int plotH = 80;
    StringBuilder b = new StringBuilder();
    b.append(
        f(
            "<svg class=\"small\" role=\"img\" viewBox=\"0 0 %d %d\" preserveAspectRatio=\"xMinYMin"
                + " meet\">",
            w, h));
    b.append("<title>").append(Html.escape(title)).append("</title>");
    double max = 1;
    for (Double v : values) {
      if (v != null) {
        max = Math.max(max, v);
      }
    }
    if (rate) {
      max = 1;
    } else {
      max = countStep(max) * Math.ceil(max / countStep(max));
    }
    int plotW = w - left - right;
    int n = values.length;
    for (double t : new double[] {0, 0.5, 1}) {
      double y = top + plotH - plotH * t;
      b.append(
          f(
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e7eb\"/>",
              left, y, left + plotW, y));
      if (t != 0.5 || rate || ((long) max) % 2 == 0) {
        String label = rate ? String.format(Locale.ROOT, "%.0f%%", t * 100) : fmt(max * t);
        b.append(
            f(
                "<text x=\"%d\" y=\"%.1f\" class=\"axis\" text-anchor=\"end\">%s</text>",
                left - 4, y + 4, label));
      }
    }
    if (n > 0) {
      b.append(
          f(
              "<text x=\"%d\" y=\"%d\" class=\"axis\" text-anchor=\"start\">%s</text>",
              left, top + plotH + 18, Html.escape(xLabels.get(0))));
      if (n > 1) {
        b.append(
            f(
                "<text x=\"%d\" y=\"%d\" class=\"axis\" text-anchor=\"end\">%s</text>",
                left + plotW, top + plotH + 18, Html.escape(xLabels.get(n - 1))));
      }
    }
    StringBuilder pts = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (values[i] == null) {
        if (pts.length() > 0) {
          b.append(
              f(
                  "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>",
                  PALETTE[0], pts.toString().strip()));
          pts.setLength(0);
        }
        continue;
      }
      pts.append(f("%.1f,%.1f ", x(i, n, left, plotW), top + plotH - plotH * values[i] / max));
    }
    if (pts.length() > 0) {
      b.append(
          f(
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>",
              PALETTE[0], pts.toString().strip()));
    }
    for (int i = 0; i < n; i++) {
      if (values[i] == null) {
        continue;
      }
      String text = rate ? pct(values[i]) : fmt(values[i]);
      b.append(
          f(
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\" stroke=\"%s\"><title>%s:"
                  + " %s</title></circle>",
              x(i, n, left, plotW),
              top + plotH - plotH * values[i] / max,
              weak[i] ? "#fff" : PALETTE[0],
              PALETTE[0],
              Html.escape(xLabels.get(i)),
              Html.escape(text + (weak[i] ? " (few samples)" : ""))));
    }
    return b.append("</svg>").toString();
  }

  private static String shortDate(String iso) {
    return iso.length() == 10 ? iso.substring(5) : iso;
  }

  /** Labels longer than fit left of the bars are shortened; the table shows them in full. */
  private static String clip(String label) {
    return label.length() <= 20 ? label : label.substring(0, 19) + "\u2026";
  }

  static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  private static String fmt(double v) {
    return v == Math.rint(v)
        ? String.format(Locale.ROOT, "%,d", (long) v)
        : String.format(Locale.ROOT, "%,.1f", v);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private Svg() {}
}
