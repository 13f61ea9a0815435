package io.ivsanalytics.config;

import io.ivsanalytics.lake.NioLocalFileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the job's SparkSession: local[*] unless spark-submit set a master. */
public final class SparkSessions {

  public static SparkSession create(String appName) {
    SparkConf conf = new SparkConf(true);
    if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    conf.setIfMissing("spark.app.name", appName);
    apply(conf);
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /** Settings the lake depends on; tests use the same ones. */
  public static SparkConf apply(SparkConf conf) {
    conf.setIfMissing("spark.ui.enabled", "false");
    conf.set("spark.sql.session.timeZone", "UTC");
    conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MILLIS");
    conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic");
    conf.set("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
    conf.setIfMissing("spark.sql.shuffle.partitions", "8");
    conf.setIfMissing("spark.sql.parquet.compression.codec", "snappy");
    conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    // Partitioned (dt) writes keep a file open per partition instead of sorting every row by dt
    // first; past this many open files per task they fall back to the sort.
    conf.setIfMissing("spark.sql.optimizer.plannedWrite.enabled", "false");
    conf.setIfMissing("spark.sql.maxConcurrentOutputFileWriters", "8");
    if (conf.get("spark.master", "").startsWith("local")) {
      // driver and executors share this JVM's class path: file: sets permissions in process
      conf.setIfMissing("spark.hadoop.fs.file.impl", NioLocalFileSystem.class.getName());
    }
    return conf;
  }

  private static volatile boolean keepRunning;

  /**
   * Under a platform that owns the SparkContext (the hosted entry point): commands never stop it.
   */
  public static void keepRunning(boolean keep) {
    keepRunning = keep;
  }

  /** Stops the session at the end of a command, unless the platform owns it. */
  public static void stop(SparkSession spark) {
    if (!keepRunning) {
      spark.stop();
    }
  }

  private SparkSessions() {}
}
