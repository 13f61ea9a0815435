package io.ivsanalytics.model.report;

import java.util.Locale;

/** How rates are written for people: percent with one decimal, intervals in whole percent. */
public final class Rates {

  /** 0.8333 → "83.3%". */
  public static String pct(double rate) {
    return String.format(Locale.ROOT, "%.1f%%", rate * 100);
  }

  /** "1 of 1, 95% CI 21–100%" (the Wilson interval in whole percent); "0 of 0" when n is 0. */
  public static String countWithInterval(long k, long n) {
    double[] ci = Wilson.interval(k, n);
    if (ci == null) {
      return "0 of 0";
    }
    return String.format(Locale.ROOT, "%,d of %,d, 95%% CI %s", k, n, interval(ci[0], ci[1]));
  }

  /** "2 of 2 takeover attempts, 95% CI 34–100%". */
  public static String countWithInterval(long k, long n, String unit) {
    double[] ci = Wilson.interval(k, n);
    if (ci == null) {
      return "0 of 0 " + unit;
    }
    return String.format(
        Locale.ROOT, "%,d of %,d %s, 95%% CI %s", k, n, unit, interval(ci[0], ci[1]));
  }

  /** "21–100%". */
  public static String interval(double low, double high) {
    return String.format(Locale.ROOT, "%.0f\u2013%.0f%%", low * 100, high * 100);
  }

  /** A change in percentage points with its direction: "▲ 12.50 pp", "▼ 3.00 pp", "no change". */
  public static String change(double pp) {
    if (Math.abs(pp) < 0.005) {
      return "no change";
    }
    return String.format(Locale.ROOT, "%s %.2f pp", pp > 0 ? "\u25B2" : "\u25BC", Math.abs(pp));
  }

  private Rates() {}
}
