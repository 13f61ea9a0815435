package io.ivsanalytics.output;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportResult;
import io.ivsanalytics.model.report.ReportSummary;
import io.ivsanalytics.model.report.ReportTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes a computed report into its folder: one CSV per table, report.html and summary.json. */
public final class ReportFolder {
  private static final Logger LOG = LoggerFactory.getLogger(ReportFolder.class);

  /** Writes {@code result} into {@code outDir} (created when missing) and returns its summary. */
  public static ReportSummary write(ReportResult result, Path outDir) {
    ReportSummary summary = result.summary();
    try {
      Files.createDirectories(outDir);
      for (ReportTable t : result.tables()) {
        CsvReportWriter.write(t, outDir);
      }
      Map<String, ReportTable> byFile = new LinkedHashMap<>();
      result.tables().forEach(t -> byFile.put(t.fileName(), t));
      Files.writeString(
          outDir.resolve(ReportCatalog.HTML),
          HtmlReport.page(summary, byFile),
          StandardCharsets.UTF_8);
      summary.write(outDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write reports to " + outDir, e);
    }
    LOG.info(
        "reports for {} written to {}: {} sessions, {} channels, {} fetch errors, {} alerts",
        summary.windowLabel(),
        outDir,
        summary.sessions(),
        summary.channels(),
        summary.fetchErrors(),
        summary.alerts().size());
    return summary;
  }

  private ReportFolder() {}
}
