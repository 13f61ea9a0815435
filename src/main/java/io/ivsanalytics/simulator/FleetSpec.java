package io.ivsanalytics.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What defines a generated fleet, fixed once built: the seed, the accounts and regions, channels
 * per account and region, the days of history ending at {@code anchor} and the mean sessions per
 * channel and day. The same spec always generates the same {@link Fleet}.
 */
public record FleetSpec(
    long seed,
    List<String> accounts,
    List<String> regions,
    int channelsPerAccountRegion,
    int days,
    double sessionsPerChannelPerDay,
    Instant anchor) {
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

  public FleetSpec {
    accounts = checkAccounts(accounts);
    regions = checkRegions(regions);
    checkChannels(channelsPerAccountRegion);
    checkDays(days);
    checkSessions(sessionsPerChannelPerDay);
    Objects.requireNonNull(anchor, "anchor");
  }

  static List<String> checkAccounts(List<String> v) {
    if (v.isEmpty()) {
      throw new IllegalArgumentException("at least one account is needed");
    }
    for (String a : v) {
      if (!ACCOUNT.matcher(a).matches()) {
        throw new IllegalArgumentException("account id must be 12 digits: '" + a + "'");
      }
    }
    return List.copyOf(v);
  }

  static List<String> checkRegions(List<String> v) {
    if (v.isEmpty()) {
      throw new IllegalArgumentException("at least one region is needed");
    }
    for (String r : v) {
      if (!REGION.matcher(r).matches()) {
        throw new IllegalArgumentException("not an AWS region name: '" + r + "'");
      }
    }
    return List.copyOf(v);
  }

  static int checkChannels(int v) {
    if (v < 0) {
      throw new IllegalArgumentException("channelsPerAccountRegion must be >= 0: " + v);
    }
    return v;
  }

  static int checkDays(int v) {
    if (v < 1) {
      throw new IllegalArgumentException("days must be >= 1: " + v);
    }
    return v;
  }

  static double checkSessions(double v) {
    if (!(v > 0)) {
      throw new IllegalArgumentException("sessionsPerChannelPerDay must be > 0: " + v);
    }
    return v;
  }
}
