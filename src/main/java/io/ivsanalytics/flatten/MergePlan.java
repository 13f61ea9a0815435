package io.ivsanalytics.flatten;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import io.ivsanalytics.model.LakePaths;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
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

  private SparkSession spark;
  private List<String> keyFiles = List.of();
  private Dataset<Row> winnerKeys;

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
    p.spark = spark;
    p.keyFiles = pass.keyFiles();
    if (p.keyFiles.isEmpty()) {
      return p;
    }
    // Which key hashes occur twice: within the batch from the pass's own hashes, against the lake
    // by one scan of its sessions' keys. Only those keys are ranked exactly, below.
    long[] hashes = pass.keyHashes();
    Set<Long> repeated = new TreeSet<>();
    for (int i = 1; i < hashes.length; i++) {
      if (hashes[i] == hashes[i - 1]) {
        repeated.add(hashes[i]);
      }
    }
    String sessionsDir = Table.SESSIONS.dir(lakeDir);
    Dataset<Row> old = null;
    if (files.exists(sessionsDir)) {
      old =
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
      repeated.addAll(inLake(spark, old, hashes));
    }
    if (!repeated.isEmpty()) {
      Dataset<Row> keys = p.batch();
      if (old != null) {
        keys = keys.unionByName(old);
      }
      keys = keys.withColumn(HASH, keyHash(col(CHANNEL_ARN), col(STREAM_ID)));
      spark.sparkContext().setJobDescription("flatten: rank repeated session keys");
      Dataset<Row> hashDf =
          spark.createDataset(new ArrayList<>(repeated), Encoders.LONG()).toDF(HASH);
      String rankedDir = LakePaths.child(staging, "plan");
      keys.join(broadcast(hashDf), keys.col(HASH).equalTo(hashDf.col(HASH)), "left_semi")
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
    }
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
      Dataset<Row> batchKeys = p.winnerKeys();
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

  /** The batch's winning session keys, as columns {@code k_arn}, {@code k_sid}. */
  Dataset<Row> winnerKeys() {
    if (winnerKeys == null) {
      Dataset<Row> batch = batch();
      if (losers.length > 0) {
        Dataset<Row> lost =
            spark
                .createDataset(Arrays.stream(losers).boxed().toList(), Encoders.LONG())
                .toDF("lost_id");
        batch =
            batch.join(
                broadcast(lost),
                batch.col(RecordSchema.RECORD_ID).equalTo(lost.col("lost_id")),
                "left_anti");
      }
      winnerKeys = batch.select(col(CHANNEL_ARN).as("k_arn"), col(STREAM_ID).as("k_sid"));
    }
    return winnerKeys;
  }

  /** The batch's keys as written by the pass, with {@code is_new} = true. */
  private Dataset<Row> batch() {
    if (keyFiles.isEmpty()) {
      return spark.createDataFrame(List.of(), StagedWrite.KEY_SCHEMA).withColumn(IS_NEW, lit(true));
    }
    return spark
        .read()
        .schema(StagedWrite.KEY_SCHEMA)
        .parquet(keyFiles.toArray(String[]::new))
        .withColumn(IS_NEW, lit(true));
  }

  /**
   * A 64-bit hash of a session key: Spark's {@code xxhash64(channel_arn, stream_id)} ({@link
   * Xxh64}). The pass computes it for every key it writes; the lake's keys are hashed by the same
   * function in Spark's generated code ({@link #keyHash(Column, Column)}), from the columns' bytes.
   */
  static long keyHash(String channelArn, String streamId) {
    long h = Xxh64.SPARK_SEED;
    if (channelArn != null) {
      h = Xxh64.hash(channelArn.getBytes(StandardCharsets.UTF_8), h);
    }
    if (streamId != null) {
      h = Xxh64.hash(streamId.getBytes(StandardCharsets.UTF_8), h);
    }
    return h;
  }

  /** {@link #keyHash} as a column of {@code (channel_arn, stream_id)}. */
  static Column keyHash(Column channelArn, Column streamId) {
    return xxhash64(channelArn, streamId);
  }

  /** The hashes in {@code batchHashes} (sorted) that a session of {@code old} also has. */
  private static List<Long> inLake(SparkSession spark, Dataset<Row> old, long[] batchHashes) {
    spark
        .sparkContext()
        .setJobDescription("flatten: look for the batch's session keys in sessions");
    Broadcast<long[]> batch =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(batchHashes);
    try {
      return old.select(keyHash(col(CHANNEL_ARN), col(STREAM_ID)))
          .as(Encoders.LONG())
          .mapPartitions(new InBatch(batch), Encoders.LONG())
          .collectAsList();
    } finally {
      batch.destroy();
    }
  }

  /** The hashes that the broadcast sorted array holds. */
  private static final class InBatch implements MapPartitionsFunction<Long, Long> {
    private final Broadcast<long[]> batch;

    InBatch(Broadcast<long[]> batch) {
      this.batch = batch;
    }

    @Override
    public Iterator<Long> call(Iterator<Long> hashes) {
      long[] sorted = batch.value();
      List<Long> hits = new ArrayList<>();
      while (hashes.hasNext()) {
        long h = hashes.next();
        if (Arrays.binarySearch(sorted, h) >= 0) {
          hits.add(h);
        }
      }
      return hits.iterator();
    }
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
