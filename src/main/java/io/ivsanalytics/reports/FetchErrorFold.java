package io.ivsanalytics.reports;

import java.util.HashMap;
import java.util.Map;

/** The fetch errors of the runs a report covers, per error code, with their channels. */
final class FetchErrorFold implements Folds.Fold<FetchErrorFold> {
  private static final long serialVersionUID = 1L;

  /** The columns read, in this order. */
  static final String[] COLUMNS = {"error_code", "channel_arn"};

  final Map<String, Tally.OfNames> byCode = new HashMap<>();

  @Override
  public void add(Cells row) {
    byCode.computeIfAbsent(row.string(0), k -> new Tally.OfNames()).add(row.string(1));
  }

  @Override
  public void merge(FetchErrorFold o) {
    o.byCode.forEach((k, v) -> byCode.merge(k, v, Tally.OfNames::merge));
  }
}
