package io.ivsanalytics;

import io.ivsanalytics.config.SparkSessions;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * One local[2] SparkSession for the whole test JVM, with the job's own settings. A command run
 * in-process stops the session it got (the same one): the next caller gets a new one.
 */
public final class TestSpark {
  private static SparkSession session;

  public static synchronized SparkSession session() {
    if (session == null || session.sparkContext().isStopped()) {
      SparkConf conf =
          new SparkConf()
              .setMaster("local[2]")
              .setAppName("ivs-analytics-tests")
              .set("spark.sql.shuffle.partitions", "2")
              .set("spark.default.parallelism", "2")
              // fetch progress travels with the heartbeats: several per short test fetch
              .set("spark.executor.heartbeatInterval", "1s");
      session = SparkSession.builder().config(SparkSessions.apply(conf)).getOrCreate();
    }
    return session;
  }

  private TestSpark() {}
}
