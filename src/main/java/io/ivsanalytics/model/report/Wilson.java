package io.ivsanalytics.model.report;

/**
 * The Wilson score interval for a proportion k of n at 95 % (z = 1.959964): the range of rates that
 * the observed count does not rule out. Unlike the plain k/n ± z·se it stays inside [0, 1] and is
 * wide when n is small (1 of 1 gives 0.2065 .. 1).
 */
public final class Wilson {
  public static final double Z95 = 1.959964;

  /** {low, high} for k of n, or null when n is 0. */
  public static double[] interval(long k, long n) {
    if (n <= 0) {
      return null;
    }
    if (k < 0 || k > n) {
      throw new IllegalArgumentException("k must be in [0, n], got " + k + " of " + n);
    }
    double z2 = Z95 * Z95;
    double p = (double) k / n;
    double denom = 1 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denom;
    double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
    return new double[] {clamp(centre - half), clamp(centre + half)};
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }

  private Wilson() {}
}
