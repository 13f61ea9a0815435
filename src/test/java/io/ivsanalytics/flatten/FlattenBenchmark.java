package io.ivsanalytics.flatten;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.to_date;

import io.ivsanalytics.cli.SparkSessions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Measures the flatten stage against the naive alternative (spark.read.json with schema
 * inference, then explode per table). Not a unit test:
 * {@code java -cp ... io.ivsanalytics.flatten.FlattenBenchmark DIR SESSIONS [flatten|baseline|both]}.
 * Generates DIR/raw (raw archive layout) when missing.
 */
public final class FlattenBenchmark {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int sessions = Integer.parseInt(args[1]);
    String mode = args.length > 2 ? args[2] : "both";
    Path raw = dir.resolve("raw");
    if (!Files.exists(raw)) {
      long t = System.nanoTime();
      generate(raw, sessions, 16);
      System.out.printf(Locale.ROOT, "generated %d sessions in %.1f s%n", sessions, (System.nanoTime() - t) / 1e9);
    }
    SparkConf conf = new SparkConf().setMaster(System.getProperty("bench.master", "local[2]")).setAppName("flatten-bench");
    SparkSession spark = SparkSession.builder().config(SparkSessions.apply(conf)).getOrCreate();
    if (mode.equals("flatten") || mode.equals("both")) {
      long t = System.nanoTime();
      FlattenResult r = FlattenStage.run(spark, List.of(raw.toString()), dir.resolve("lake-flatten").toString());
      System.out.printf(Locale.ROOT, "flatten: %.1f s%n%s", (System.nanoTime() - t) / 1e9, r.summary());
    }
    if (mode.equals("profile")) {
      var files = InputFiles.list(spark.sparkContext().hadoopConfiguration(), List.of(raw.toString()), null, null);
      var jsc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
      var bc = jsc.broadcast(new org.apache.spark.SerializableWritable<>(spark.sparkContext().hadoopConfiguration()));
      long t = System.nanoTime();
      long p = jsc.parallelize(InputFiles.balance(files, 8), 8).mapPartitions(new ReadResponses(bc)).count();
      System.out.printf(Locale.ROOT, "parse only: %.1f s (%d)%n", (System.nanoTime() - t) / 1e9, p);
      t = System.nanoTime();
      long n = FlattenStage.readRecords(spark, files).queryExecution().toRdd().count();
      System.out.printf(Locale.ROOT, "parse+encode (rdd count): %.1f s (%d)%n", (System.nanoTime() - t) / 1e9, n);
      t = System.nanoTime();
      Dataset<Row> rec = FlattenStage.readRecords(spark, files).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
      rec.count();
      System.out.printf(Locale.ROOT, "parse+cache: %.1f s%n", (System.nanoTime() - t) / 1e9);
      FlattenStage.Tables tb = FlattenStage.tables(rec, java.time.LocalDate.now());
      for (io.ivsanalytics.model.Schemas.Table tt : io.ivsanalytics.model.Schemas.TABLES) {
        t = System.nanoTime();
        tb.get(tt).write().mode("overwrite").partitionBy("dt").parquet(dir.resolve("lake-profile/" + tt.dirName()).toString());
        System.out.printf(Locale.ROOT, "write %s: %.1f s%n", tt.dirName(), (System.nanoTime() - t) / 1e9);
      }
      t = System.nanoTime();
      tb.events().write().format("noop").mode("overwrite").save();
      System.out.printf(Locale.ROOT, "events noop: %.1f s%n", (System.nanoTime() - t) / 1e9);
    }
    if (mode.equals("baseline") || mode.equals("both")) {
      long t = System.nanoTime();
      baseline(spark, raw.toString(), dir.resolve("lake-baseline").toString());
      System.out.printf(Locale.ROOT, "baseline (read.json + inference + explode): %.1f s%n", (System.nanoTime() - t) / 1e9);
    }
    spark.stop();
  }

  static void baseline(SparkSession spark, String raw, String lake) {
    Dataset<Row> df = spark.read().json(raw);
    Dataset<Row> s = df.select(col("streamSession.*"), col("fetchedAt")).withColumn("dt", to_date(col("startTime")).cast("string"));
    s.select(col("channel.arn").as("channel_arn"), col("streamId").as("stream_id"), col("startTime").cast("timestamp").as("start_time"),
            col("endTime").cast("timestamp").as("end_time"), col("channel.name"), col("channel.type"), col("channel.tags"), col("dt"))
        .write().mode("overwrite").partitionBy("dt").parquet(lake + "/sessions");
    s.select(col("channel.arn"), col("streamId"), col("dt"), posexplode(col("ingestConfigurations.videoConfigurations")))
        .select(col("arn"), col("streamId"), col("dt"), col("pos"), col("col.*"))
        .write().mode("overwrite").partitionBy("dt").parquet(lake + "/tracks_video");
    s.select(col("channel.arn"), col("streamId"), col("dt"), posexplode(col("ingestConfigurations.audioConfigurations")))
        .select(col("arn"), col("streamId"), col("dt"), col("pos"), col("col.*"))
        .write().mode("overwrite").partitionBy("dt").parquet(lake + "/tracks_audio");
    s.select(col("channel.arn"), col("streamId"), col("dt"), posexplode(col("truncatedEvents")))
        .select(col("arn"), col("streamId"), col("dt"), col("pos"), col("col.*"))
        .write().mode("overwrite").partitionBy("dt").parquet(lake + "/events");
    s.filter(col("recordingConfiguration").isNotNull())
        .select(col("channel.arn").as("channel_arn"), col("streamId"), col("dt"), col("recordingConfiguration.*"))
        .write().mode("overwrite").partitionBy("dt").parquet(lake + "/recording_settings");
  }

  /** Raw archive: files per day, each line a response with fetchedAt. */
  static void generate(Path raw, int sessions, int files) throws IOException {
    Random rnd = new Random(42);
    Instant base = Instant.parse("2024-04-01T00:00:00Z");
    BufferedWriter[] out = new BufferedWriter[files];
    for (int f = 0; f < files; f++) {
      Path d = Files.createDirectories(raw.resolve("dt=2024-04-" + String.format(Locale.ROOT, "%02d", f + 1)));
      out[f] = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(d.resolve("part-0.jsonl.gz")), 1 << 16), StandardCharsets.UTF_8), 1 << 16);
    }
    String[] types = {"BASIC", "STANDARD", "ADVANCED_SD", "ADVANCED_HD"};
    for (int i = 0; i < sessions; i++) {
      int f = i % files;
      Instant start = base.plus(f, ChronoUnit.DAYS).plusSeconds(rnd.nextInt(86000));
      Instant end = start.plusSeconds(60 + rnd.nextInt(7200));
      String chan = String.format(Locale.ROOT, "Ch%010d", i % 50000);
      String arn = "arn:aws:ivs:us-west-2:123456789012:channel/" + chan;
      StringBuilder b = new StringBuilder(6000);
      b.append("{\"streamSession\":{\"channel\":{\"arn\":\"").append(arn).append("\",\"authorized\":false,\"containerFormat\":\"FRAGMENTED_MP4\",")
          .append("\"ingestEndpoint\":\"a1b2c3d4e5f6.global-contribute.live-video.net\",\"insecureIngest\":false,\"latencyMode\":\"LOW\",")
          .append("\"multitrackInputConfiguration\":{\"enabled\":true,\"maximumResolution\":\"FULL_HD\",\"policy\":\"ALLOW\"},")
          .append("\"name\":\"channel-").append(i % 50000).append("\",\"playbackUrl\":\"https://a1b2c3d4e5f6.us-west-2.playback.live-video.net/api/video/v1/us-west-2.123456789012.channel.").append(chan).append(".m3u8\",")
          .append("\"preset\":\"\",\"recordingConfigurationArn\":\"arn:aws:ivs:us-west-2:123456789012:recording-configuration/ABcdef34ghIJ\",")
          .append("\"srt\":{\"endpoint\":\"a1b2c3d4e5f6.srt.live-video.net\"},\"tags\":{\"team\":\"t").append(i % 7).append("\",\"env\":\"prod\"},")
          .append("\"type\":\"").append(types[i % 4]).append("\"},");
      b.append("\"endTime\":\"").append(end).append("\",");
      int videos = 1 + rnd.nextInt(3);
      b.append("\"ingestConfigurations\":{\"audioConfigurations\":[{\"channels\":2,\"codec\":\"mp4a.40.2\",\"sampleRate\":48000,\"targetBitrate\":128000,\"track\":\"Track0\"}],\"videoConfigurations\":[");
      for (int v = 0; v < videos; v++) {
        if (v > 0) {
          b.append(',');
        }
        b.append("{\"codec\":\"avc1.64002A\",\"encoder\":\"obs-output module (libobs version 30.1.2)\",\"level\":\"4.2\",\"profile\":\"High\",\"targetBitrate\":")
            .append(1000000 + rnd.nextInt(8000000)).append(",\"targetFramerate\":30,\"track\":\"Track").append(v).append("\",\"videoHeight\":1080,\"videoWidth\":1920}");
      }
      b.append("]},");
      b.append("\"recordingConfiguration\":{\"arn\":\"arn:aws:ivs:us-west-2:123456789012:recording-configuration/ABcdef34ghIJ\",\"destinationConfiguration\":{\"s3\":{\"bucketName\":\"demo-recording-bucket\"}},\"name\":\"rec\",\"recordingReconnectWindowSeconds\":60,\"renditionConfiguration\":{\"renditionSelection\":\"ALL\",\"renditions\":[]},\"state\":\"ACTIVE\",\"tags\":{},\"thumbnailConfiguration\":{\"recordingMode\":\"INTERVAL\",\"resolution\":\"HD\",\"storage\":[\"SEQUENTIAL\"],\"targetIntervalSeconds\":60}},");
      b.append("\"startTime\":\"").append(start).append("\",\"streamId\":\"st-").append(String.format(Locale.ROOT, "%014d", i)).append("\",\"truncatedEvents\":[");
      for (int e = 0; e < 20; e++) {
        if (e > 0) {
          b.append(',');
        }
        b.append("{\"eventTime\":\"").append(end.minusSeconds(e * 3L)).append("\",\"name\":\"").append(e % 5 == 0 ? "Stream Takeover Failure" : "Session Created")
            .append("\",\"type\":\"IVS Stream State Change\",\"code\":\"").append(e % 5 == 0 ? "StreamTakeoverMediaMismatch" : "").append("\"}");
      }
      b.append("]},\"fetchedAt\":\"").append(end.plusSeconds(600)).append("\"}\n");
      out[f].write(b.toString());
    }
    for (BufferedWriter w : out) {
      w.close();
    }
  }

  private FlattenBenchmark() {}
}
