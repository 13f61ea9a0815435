package io.ivsanalytics.reports;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.ivsanalytics.cli.Settings;
import io.ivsanalytics.cli.SparkSessions;
import io.ivsanalytics.model.Schemas.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * Benchmark (not a test): synthesises a lake of N sessions (20 events each) over 28 days with the
 * lake's schemas, then times the report stage on one 7-day window. Run with jobs/bench-report.
 * Args: LAKE_DIR [SESSIONS=1000000] [OUT_DIR=LAKE_DIR/../bench-reports].
 */
public final class ReportBenchmark {
  public static void main(String[] args) throws Exception {
    Path lake = Path.of(args[0]);
    long n = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
    Path out = args.length > 2 ? Path.of(args[2]) : lake.toAbsolutePath().getParent().resolve("bench-reports");
    SparkSession spark = SparkSessions.create("ivs-analytics report benchmark");
    try {
      if (!Files.exists(lake.resolve("sessions"))) {
        long t0 = System.nanoTime();
        generate(spark, lake.toString(), n);
        System.out.printf(Locale.ROOT, "generated %,d sessions in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
      }
      for (int run = 1; run <= 2; run++) {
        long t0 = System.nanoTime();
        ReportSummary s = ReportStage.run(spark, lake.toString(), LocalDate.parse("2024-05-06"), LocalDate.parse("2024-05-13"),
            out, Settings.defaults());
        System.out.printf(Locale.ROOT, "run %d: report over %,d sessions (7 of 28 days) in %.1f s%n",
            run, s.sessions(), (System.nanoTime() - t0) / 1e9);
      }
    } finally {
      spark.stop();
    }
  }

  static void generate(SparkSession spark, String lake, long n) {
    Column id = col("id");
    Column type = element_at(expr("array('BASIC','STANDARD','STANDARD','ADVANCED_SD','ADVANCED_HD')"), id.mod(5).plus(1).cast("int"));
    Column start = expr("timestamp_seconds(1714003200 + id * (2419200 DIV " + n + "))");
    Dataset<Row> base = spark.range(n).select(id,
        concat(lit("arn:aws:ivs:us-west-2:123456789012:channel/ch"), id.mod(5000)).as("channel_arn"),
        concat(lit("st-"), id).as("stream_id"), type.as("channel_type"), start.as("start_time"));
    write(base, Table.SESSIONS, lake, Map.of(
        "duration_seconds", expr("CAST(600 + id % 7200 AS BIGINT)"),
        "end_time", expr("start_time + make_interval(0,0,0,0,0,0, 600 + id % 7200)"),
        "is_live", lit(false),
        "recording_configuration_arn", when(id.mod(3).equalTo(0), lit("arn:aws:ivs:us-west-2:123456789012:recording-configuration/r1")),
        "multitrack_enabled", id.mod(10).equalTo(0),
        "video_track_count", when(id.mod(10).equalTo(0), lit(3)).otherwise(lit(1)),
        "channel_name", concat(lit("channel "), id.mod(5000))));
    Dataset<Row> tracks = base.withColumn("t", expr("explode(sequence(0, CASE WHEN id % 10 = 0 THEN 3 ELSE 1 END))"));
    write(tracks, Table.TRACKS, lake, Map.of(
        "media", when(col("t").equalTo(0), lit("audio")).otherwise(lit("video")),
        "track_index", col("t"),
        "codec", when(col("t").equalTo(0), lit("mp4a.40.2")).when(id.mod(7).equalTo(0), lit("hvc1.1.6.L120.90")).otherwise(lit("avc1.640028")),
        "codec_family", when(col("t").equalTo(0), lit("AAC-LC")).when(id.mod(7).equalTo(0), lit("H.265")).otherwise(lit("H.264")),
        "target_bitrate", when(col("t").equalTo(0), lit(160_000L)).otherwise(expr("CAST(1000000 + (id * 7919) % 8000000 AS BIGINT)")),
        "target_framerate", when(col("t").notEqual(0), lit(30)),
        "video_width", when(col("t").notEqual(0), expr("element_at(array(854, 1280, 1920), t)")),
        "video_height", when(col("t").notEqual(0), expr("element_at(array(480, 720, 1080), t)"))));
    Dataset<Row> events = base.withColumn("e", expr("explode(sequence(0, 19))"));
    write(events, Table.EVENTS, lake, Map.of(
        "event_index", col("e"),
        "event_time", col("start_time"),
        "name", expr("CASE WHEN e = 5 AND id % 20 = 0 THEN 'Stream Takeover' WHEN e = 6 AND id % 50 = 0 THEN 'Stream Takeover Failure' "
            + "WHEN e % 4 = 0 THEN 'Session Created' WHEN e % 4 = 1 THEN 'Stream Start' WHEN e % 4 = 2 THEN 'Starvation Start' ELSE 'Stream End' END"),
        "type", lit("IVS Stream State Change"),
        "code", expr("CASE WHEN e = 6 AND id % 50 = 0 THEN 'StreamTakeoverMediaMismatch' END")));
  }

  private static void write(Dataset<Row> rows, Table table, String lake, Map<String, Column> values) {
    Dataset<Row> withDt = rows.withColumn("dt", date_format(col("start_time"), "yyyy-MM-dd"));
    Column[] cols = new Column[table.schema().size()];
    int i = 0;
    for (StructField f : table.schema().fields()) {
      Column c = values.containsKey(f.name()) ? values.get(f.name())
          : java.util.Arrays.asList(withDt.columns()).contains(f.name()) ? col(f.name()) : lit(null);
      cols[i++] = c.cast(f.dataType()).as(f.name());
    }
    withDt.select(cols).repartition(col("dt")).write().mode("overwrite").partitionBy("dt").parquet(lake + "/" + table.dirName());
  }
}
