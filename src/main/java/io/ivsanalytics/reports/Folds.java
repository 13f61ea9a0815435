package io.ivsanalytics.reports;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SQLExecution;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import scala.Option;
import scala.runtime.AbstractFunction0;

/**
 * One pass over a table's rows: each partition folds its rows into a {@link Fold} of exact,
 * mergeable partial aggregates (counters, histograms, session and name sets) and the driver merges
 * the partials as the tasks finish. One Spark job per table serves every report over that table.
 */
final class Folds {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Folds.class);

  /** Partial aggregates of one table's rows; {@link #merge} adds another partition's. */
  interface Fold<F extends Fold<F>> extends Serializable {
    void add(Cells row);

    void merge(F other);
  }

  /** Makes an empty fold on an executor. */
  @FunctionalInterface
  interface Factory<F> extends Serializable {
    F create();
  }

  /**
   * The days of a report, as {@code dt} values: the window {@code [from, to)}, the previous window
   * {@code [previousFrom, from)} and the weekly trend's days {@code [trendFrom, to)}.
   */
  record Days(
      String trendFrom,
      String previousFrom,
      String from,
      String to,
      long previousStartMillis,
      long endMillis)
      implements Serializable {
    static Days of(ReportWindow window, LocalDate trendFrom) {
      ReportWindow previous = window.previous();
      return new Days(
          trendFrom.toString(),
          previous.from().toString(),
          window.from().toString(),
          window.to().toString(),
          previous.startInstant().toEpochMilli(),
          window.endInstant().toEpochMilli());
    }

    /** A day before the previous window (read only for the weekly trend). */
    boolean before(String dt) {
      return dt.compareTo(previousFrom) < 0;
    }

    /** A start time within the previous window or the window; a missing one is not. */
    boolean started(Long epochMillis) {
      return epochMillis != null && epochMillis >= previousStartMillis && epochMillis < endMillis;
    }

    boolean current(String dt) {
      return dt.compareTo(from) >= 0 && dt.compareTo(to) < 0;
    }

    boolean previous(String dt) {
      return dt.compareTo(previousFrom) >= 0 && dt.compareTo(from) < 0;
    }

    boolean trend(String dt) {
      return dt.compareTo(trendFrom) >= 0 && dt.compareTo(to) < 0;
    }
  }

  /**
   * Folds every row of the {@code scans} (each reads some of {@code columns}; the others are null
   * there) in one Spark job and returns the merged partials. A plain Parquet scan is folded from
   * its column batches; anything else (an empty table, a row-based reader) from its rows. Each task
   * returns its partial in Java serialization (the partials write themselves compactly), whatever
   * serializer the session is configured with.
   */
  static <F extends Fold<F>> F run(List<Dataset<Row>> scans, String[] columns, Factory<F> factory) {
    JavaRDD<byte[]> partials = null;
    for (Dataset<Row> scan : scans) {
      JavaRDD<byte[]> p = fold(scan, columns, factory);
      partials = partials == null ? p : partials.union(p);
    }
    JavaRDD<byte[]> job = partials;
    F merged = factory.create();
    for (byte[] partial : asQueries(scans, 0, job::collect)) {
      merged.merge(deserialize(partial));
    }
    return merged;
  }

  /**
   * Runs {@code job} as the SQL execution of each scan, so the Spark UI's SQL tab and query
   * listeners see the scans (columns, partitions, metrics) as they see a DataFrame action's.
   */
  private static <T> T asQueries(List<Dataset<Row>> scans, int i, Supplier<T> job) {
    if (i == scans.size()) {
      return job.get();
    }
    return SQLExecution.withNewExecutionId(
        scans.get(i).queryExecution(),
        Option.apply("report scan"),
        new AbstractFunction0<T>() {
          @Override
          public T apply() {
            return asQueries(scans, i + 1, job);
          }
        });
  }

  private static <F extends Fold<F>> JavaRDD<byte[]> fold(
      Dataset<Row> scan, String[] columns, Factory<F> factory) {
    FileSourceScanExec batches = ColumnarScans.of(scan.queryExecution().executedPlan());
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "fold over {}: {}",
          String.join(",", scan.columns()),
          batches != null ? "column batches" : "rows of " + scan.queryExecution().executedPlan());
    }
    if (batches != null) {
      return batches
          .executeColumnar()
          .toJavaRDD()
          .mapPartitions(
              new FoldBatches<>(factory, Cells.positions(columns, ColumnarScans.columns(batches))));
    }
    return scan.javaRDD()
        .mapPartitions(new FoldRows<>(factory, Cells.positions(columns, scan.columns())));
  }

  private static final class FoldBatches<F extends Fold<F>>
      implements FlatMapFunction<Iterator<ColumnarBatch>, byte[]> {
    private static final long serialVersionUID = 1L;
    private final Factory<F> factory;
    private final int[] index;

    FoldBatches(Factory<F> factory, int[] index) {
      this.factory = factory;
      this.index = index;
    }

    @Override
    public Iterator<byte[]> call(Iterator<ColumnarBatch> batches) throws IOException {
      F fold = factory.create();
      Cells.OfBatch cells = new Cells.OfBatch(index);
      while (batches.hasNext()) {
        ColumnarBatch batch = batches.next();
        cells.reset(batch);
        int rows = batch.numRows();
        for (int r = 0; r < rows; r++) {
          cells.rowId = r;
          fold.add(cells);
        }
      }
      return serialize(fold);
    }
  }

  private static final class FoldRows<F extends Fold<F>>
      implements FlatMapFunction<Iterator<Row>, byte[]> {
    private static final long serialVersionUID = 1L;
    private final Factory<F> factory;
    private final int[] index;

    FoldRows(Factory<F> factory, int[] index) {
      this.factory = factory;
      this.index = index;
    }

    @Override
    public Iterator<byte[]> call(Iterator<Row> rows) throws IOException {
      F fold = factory.create();
      Cells.OfRow cells = new Cells.OfRow(index);
      while (rows.hasNext()) {
        cells.row = rows.next();
        fold.add(cells);
      }
      return serialize(fold);
    }
  }

  private static Iterator<byte[]> serialize(Object fold) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(fold);
    }
    return List.of(bytes.toByteArray()).iterator();
  }

  @SuppressWarnings("unchecked")
  private static <F> F deserialize(byte[] partial) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(partial))) {
      return (F) in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException("cannot read a report partial of a Spark task", e);
    }
  }

  private Folds() {}
}
