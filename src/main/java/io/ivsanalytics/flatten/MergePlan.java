package io.ivsanalytics.flatten;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import io.ivsanalytics.model.LakePaths;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the one pass's output needs before it can be published, found from Parquet files only: the
 * batch's session keys ranked against each other and against the lake's {@code sessions}. A batch
 * copy that loses (an older or equal copy of a session that also appears later in the input, or
 * older than the lake's copy) is a loser, to be staged again without it. A partition that holds an
 * old copy of a session this batch replaces, or a child row of one of the batch's sessions, is to
 * be rewritten without the winning keys.
 */
final class MergePlan {
  private static final Logger LOG = LoggerFactory.getLogger(FlattenStage.class);

  private static final String IS_NEW = "is_new";
  private static final String RANK = "rank";
  private static final String HASH = "key_hash";
  private static final String CHANNEL_ARN = "channel_arn";
  private static final String STREAM_ID = "stream_id";
  private static final String FETCHED_AT = "fetched_at";

  /** The tables whose partitions hold session rows or rows of a session. */
  static final List<Table> DATA_TABLES =
      List.of(Table.SESSIONS, Table.TRACKS, Table.EVENTS, Table.RECORDING_SETTINGS);

  /** Record ids of the batch copies that lose, sorted. */
  long[] losers = new long[0];

  /** Per table, the partitions to rewrite without the winning keys. */
  final Map<Table, Set<String>> rewrite = new EnumMap<>(Table.class);

  /** The batch's winning session keys, as columns {@code k_arn}, {@code k_sid}. */
  Dataset<Row> winnerKeys;

  private MergePlan() {}

  /**
   * Ranks the batch's keys against each other and the lake's: the batch copies that lose, and per
   * table the partitions holding rows of a session the batch replaces.
   *
   * @param staging the run's staging directory (the ranking is written under {@code plan/})
   */
  static MergePlan of(
      SparkSession spark,
      LakeFiles files,
      String lakeDir,
      String staging,
      StagedWrite.Summary pass) {
    MergePlan p = new MergePlan();
    if (pass.keyFiles().isEmpty()) {
      return p;
    }
    spark.sparkContext().setJobDescription("flatten: find repeated session keys");
    Dataset<Row> batch =
        spark
            .read()
            .schema(StagedWrite.KEY_SCHEMA)
            .parquet(pass.keyFiles().toArray(String[]::new))
            .withColumn(IS_NEW, lit(true));
    String sessionsDir = Table.SESSIONS.dir(lakeDir);
    Dataset<Row> keys = batch;
    if (files.exists(sessionsDir)) {
      Dataset<Row> old =
          spark
              .read()
              .schema(Schemas.SESSIONS)
              .parquet(sessionsDir)
              .select(
                  col(CHANNEL_ARN),
                  col(STREAM_ID),
                  col(FETCHED_AT),
                  col(Schemas.DT),
                  lit(null).cast(DataTypes.LongType).as(RecordSchema.RECORD_ID),
                  lit(false).as(IS_NEW));
      keys = keys.unionByName(old);
    }
    keys = keys.withColumn(HASH, xxhash64(col(CHANNEL_ARN), col(STREAM_ID)));
    List<Long> repeated =
        keys.groupBy(HASH)
            .count()
            .filter(col("count").gt(1))
            .select(HASH)
            .as(Encoders.LONG())
            .collectAsList();
    Dataset<Row> batchKeys = batch.select(col(CHANNEL_ARN).as("k_arn"), col(STREAM_ID).as("k_sid"));
    if (!repeated.isEmpty()) {
      spark.sparkContext().setJobDescription("flatten: rank repeated session keys");
      Dataset<Row> hashes = spark.createDataset(repeated, Encoders.LONG()).toDF(HASH);
      String rankedDir = LakePaths.child(staging, "plan");
      keys.join(broadcast(hashes), keys.col(HASH).equalTo(hashes.col(HASH)), "left_semi")
          .withColumn(
              RANK,
              row_number()
                  .over(
                      Window.partitionBy(CHANNEL_ARN, STREAM_ID)
                          .orderBy(
                              col(FETCHED_AT).desc_nulls_last(),
                              col(IS_NEW).desc(),
                              col(RecordSchema.RECORD_ID).desc())))
          .filter(col(RANK).gt(1))
          .drop(HASH)
          .write()
          .mode(SaveMode.Overwrite)
          .parquet(rankedDir);
      Dataset<Row> beaten =
          spark
              .read()
              .schema(
                  StagedWrite.KEY_SCHEMA
                      .add(IS_NEW, DataTypes.BooleanType)
                      .add(RANK, DataTypes.IntegerType))
              .parquet(rankedDir);
      List<Long> losers =
          beaten
              .filter(col(IS_NEW))
              .select(RecordSchema.RECORD_ID)
              .as(Encoders.LONG())
              .collectAsList();
      p.losers = losers.stream().mapToLong(Long::longValue).sorted().toArray();
      List<String> oldDts =
          beaten
              .filter(col(IS_NEW).equalTo(false))
              .select(Schemas.DT)
              .distinct()
              .as(Encoders.STRING())
              .collectAsList();
      for (Table t : DATA_TABLES) {
        p.rewrite.computeIfAbsent(t, k -> new TreeSet<>()).addAll(oldDts);
      }
      if (p.losers.length > 0) {
        Dataset<Row> lost =
            beaten.filter(col(IS_NEW)).select(col(RecordSchema.RECORD_ID).as("lost_id"));
        batchKeys =
            batch
                .join(
                    broadcast(lost),
                    batch.col(RecordSchema.RECORD_ID).equalTo(lost.col("lost_id")),
                    "left_anti")
                .select(col(CHANNEL_ARN).as("k_arn"), col(STREAM_ID).as("k_sid"));
      }
    }
    p.winnerKeys = batchKeys;
    // Child rows of a batch session in a partition the batch also writes, without the session
    // row that would have led to them (left by an older version killed mid-write): dropped too.
    for (Table t : List.of(Table.TRACKS, Table.EVENTS, Table.RECORDING_SETTINGS)) {
      Set<String> shared = new TreeSet<>(pass.partitions(t));
      shared.addAll(pass.partitions(Table.SESSIONS));
      shared.removeAll(p.rewrite.getOrDefault(t, Set.of()));
      List<String> existing = new ArrayList<>();
      for (String dt : shared) {
        if (!files.dataFiles(LakePaths.partition(t.dir(lakeDir), dt)).isEmpty()) {
          existing.add(dt);
        }
      }
      if (existing.isEmpty()) {
        continue;
      }
      spark
          .sparkContext()
          .setJobDescription("flatten: look for rows of the batch's sessions in " + t.dirName());
      Dataset<Row> rows =
          read(spark, files, lakeDir, t, existing).select(CHANNEL_ARN, STREAM_ID, Schemas.DT);
      List<String> hit =
          rows.join(batchKeys, keyMatch(rows, batchKeys), "left_semi")
              .select(Schemas.DT)
              .distinct()
              .as(Encoders.STRING())
              .collectAsList();
      if (!hit.isEmpty()) {
        LOG.warn(
            "flatten: {} holds rows of this batch's sessions in {} without their session rows:"
                + " rewriting",
            t.dirName(),
            hit);
        p.rewrite.computeIfAbsent(t, k -> new TreeSet<>()).addAll(hit);
      }
    }
    return p;
  }

  /** Rows whose session key is one of {@code keys} (columns {@code k_arn}, {@code k_sid}). */
  static Column keyMatch(Dataset<Row> rows, Dataset<Row> keys) {
    return rows.col(CHANNEL_ARN)
        .equalTo(keys.col("k_arn"))
        .and(rows.col(STREAM_ID).equalTo(keys.col("k_sid")));
  }

  /** The table's current files in the given partitions. */
  private static Dataset<Row> read(
      SparkSession spark, LakeFiles files, String lakeDir, Table t, List<String> dts) {
    List<String> paths = new ArrayList<>();
    for (String dt : dts) {
      paths.addAll(files.dataFiles(LakePaths.partition(t.dir(lakeDir), dt)));
    }
    return spark
        .read()
        .schema(t.schema())
        .option("basePath", t.dir(lakeDir))
        .parquet(paths.toArray(String[]::new));
  }
}
