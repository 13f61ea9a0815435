package io.ivsanalytics.reports;

import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.ProjectExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;

/**
 * Finds the Parquet scan under a plan that only reads columns: a file scan that produces column
 * batches, under nothing but row conversion, code generation and plain column projections. A plan
 * with anything else (a filter, a computed column, a local relation) has none, and its rows are
 * folded as rows instead.
 */
final class ColumnarScans {

  /** The plan's columnar file scan, or null when the plan does more than read columns. */
  static FileSourceScanExec of(SparkPlan plan) {
    SparkPlan node = plan;
    while (true) {
      if (node instanceof FileSourceScanExec scan) {
        return scan.supportsColumnar() ? scan : null;
      }
      boolean passThrough =
          node instanceof WholeStageCodegenExec
              || node instanceof ColumnarToRowExec
              || node instanceof InputAdapter
              || (node instanceof ProjectExec p && onlyColumns(p));
      if (!passThrough || node.children().size() != 1) {
        return null;
      }
      node = node.children().apply(0);
    }
  }

  /** The scan's batch columns: the columns read from the files, then the partition columns. */
  static String[] columns(FileSourceScanExec scan) {
    String[] data = scan.requiredSchema().fieldNames();
    String[] partitions = scan.relation().partitionSchema().fieldNames();
    String[] out = new String[data.length + partitions.length];
    System.arraycopy(data, 0, out, 0, data.length);
    System.arraycopy(partitions, 0, out, data.length, partitions.length);
    return out;
  }

  private static boolean onlyColumns(ProjectExec p) {
    for (int i = 0; i < p.projectList().size(); i++) {
      NamedExpression e = p.projectList().apply(i);
      if (!(e instanceof Attribute)) {
        return false;
      }
    }
    return true;
  }

  private ColumnarScans() {}
}
