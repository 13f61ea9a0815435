package io.ivsanalytics.reports;

import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The fetch errors of the runs a report covers, per error code, with their channels. */
final class FetchErrorFold implements Folds.Fold<FetchErrorFold> {
  private static final long serialVersionUID = 1L;

  /** The columns read, in this order. */
  static final String[] COLUMNS = {"error_code", "channel_arn"};

  final Map<String, CodeErrors> byCode = new HashMap<>();

  @Override
  public void add(Cells row) {
    CodeErrors c = byCode.computeIfAbsent(row.string(0), k -> new CodeErrors());
    c.errors++;
    String arn = row.string(1);
    if (arn != null) {
      c.channels.add(arn);
    }
  }

  @Override
  public void merge(FetchErrorFold o) {
    o.byCode.forEach((k, v) -> byCode.merge(k, v, CodeErrors::merge));
  }

  /** Errors of one code and the channels they are about. */
  static final class CodeErrors implements Serializable {
    private static final long serialVersionUID = 1L;
    long errors;
    final Set<String> channels = new HashSet<>();

    CodeErrors merge(CodeErrors o) {
      errors += o.errors;
      channels.addAll(o.channels);
      return this;
    }
  }
}
