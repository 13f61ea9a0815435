package io.ivsanalytics.model.report;

import java.util.List;

/**
 * What the report stage computed for a window: the summary and every report table, in the order
 * they are written. Nothing is on disk yet; {@code output.ReportFolder} writes it.
 */
public record ReportResult(ReportSummary summary, List<ReportTable> tables) {
  public ReportResult {
    tables = List.copyOf(tables);
  }
}
