package io.ivsanalytics.flatten;

import io.ivsanalytics.config.SparkSessions;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** A flatten run in its own JVM, for tests that kill it: {@code FlattenChild LAKE INPUT...}. */
public final class FlattenChild {
  public static void main(String[] args) {
    SparkConf conf =
        new SparkConf()
            .setMaster("local[2]")
            .setAppName("flatten-child")
            .set("spark.default.parallelism", "2")
            .set("spark.sql.shuffle.partitions", "2");
    SparkSession spark = SparkSession.builder().config(SparkSessions.apply(conf)).getOrCreate();
    List<String> inputs = Arrays.asList(args).subList(1, args.length);
    FlattenResult r = FlattenStage.run(spark, inputs, args[0]);
    System.out.println(r.summary());
    spark.stop();
  }

  private FlattenChild() {}
}
