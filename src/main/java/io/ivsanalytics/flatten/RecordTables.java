package io.ivsanalytics.flatten;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.row_number;

import io.ivsanalytics.flatten.FlattenStage.Tables;
import io.ivsanalytics.model.Schemas;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;

/**
 * The flatten transforms on Datasets, without the lake: text to {@link RecordSchema#ROW} records,
 * records to the five tables ({@link FlattenStage#parseLines}, {@link FlattenStage#tables}).
 */
final class RecordTables {
  private static final String RANK = "rank";
  private static final String CHANNEL_ARN = "channel_arn";
  private static final String STREAM_ID = "stream_id";
  private static final String FETCHED_AT = "fetched_at";

  static Dataset<Row> parseLines(Dataset<String> lines, Instant fallbackFetchedAt) {
    return lines.mapPartitions(
        (MapPartitionsFunction<String, Row>) it -> parseLinesOfPartition(it, fallbackFetchedAt),
        Encoders.row(RecordSchema.ROW));
  }

  private static Iterator<Row> parseLinesOfPartition(Iterator<String> it, Instant fallback) {
    int partition = org.apache.spark.TaskContext.getPartitionId();
    return new Iterator<>() {
      long n;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Row next() {
        n++;
        String where = "input partition " + partition + " record " + n;
        return SessionParser.parseText(
                it.next(), "input", where, ReadResponses.recordId(partition, n), fallback)
            .toRow();
      }
    };
  }

  static Tables tables(Dataset<Row> records, LocalDate runDate) {
    Dataset<Row> sessions = records.filter(col(RecordSchema.ERROR).isNull());
    Dataset<Row> losers =
        sessions
            .withColumn(
                RANK,
                row_number()
                    .over(
                        Window.partitionBy(CHANNEL_ARN, STREAM_ID)
                            .orderBy(
                                col(FETCHED_AT).desc_nulls_last(),
                                col(RecordSchema.RECORD_ID).desc())))
            .filter(col(RANK).gt(1))
            .select(col(RecordSchema.RECORD_ID).as("lost_id"));
    Dataset<Row> kept =
        sessions.join(
            losers,
            sessions.col(RecordSchema.RECORD_ID).equalTo(losers.col("lost_id")),
            "left_anti");
    return new Tables(
        kept.select(mixed(Schemas.SESSIONS, List.of(Schemas.SESSIONS.fieldNames()), "")),
        children(kept, RecordSchema.TRACKS, Schemas.TRACKS, RecordSchema.TRACK_FROM_SESSION),
        children(kept, RecordSchema.EVENTS, Schemas.EVENTS, RecordSchema.EVENT_FROM_SESSION),
        kept.filter(col(RecordSchema.RECORDING).isNotNull())
            .select(
                mixed(
                    Schemas.RECORDING_SETTINGS,
                    RecordSchema.RECORDING_FROM_SESSION,
                    RecordSchema.RECORDING)),
        records
            .filter(col(RecordSchema.ERROR).isNotNull())
            .withColumn(Schemas.DT, lit(runDate.toString()))
            .select(
                mixed(Schemas.FETCH_ERRORS, RecordSchema.ERROR_FROM_RECORD, RecordSchema.ERROR)));
  }

  private static Dataset<Row> children(
      Dataset<Row> sessions, String array, StructType table, List<String> fromSession) {
    String item = "_item";
    List<Column> keep = new ArrayList<>();
    for (String c : fromSession) {
      keep.add(col(c));
    }
    keep.add(explode(col(array)).as(item));
    return sessions.select(keep.toArray(Column[]::new)).select(mixed(table, fromSession, item));
  }

  /**
   * The table's columns in order: the shared ones from the top level, the rest from {@code struct};
   * map columns rebuilt from their entries ({@link RecordSchema#ROW}).
   */
  private static Column[] mixed(StructType table, List<String> topLevel, String struct) {
    return Arrays.stream(table.fields())
        .map(
            f -> {
              Column c = topLevel.contains(f.name()) ? col(f.name()) : col(struct + "." + f.name());
              return (f.dataType() instanceof MapType ? map_from_entries(c) : c).as(f.name());
            })
        .toArray(Column[]::new);
  }

  private RecordTables() {}
}
