package io.ivsanalytics.ingest;

import io.ivsanalytics.config.Settings;
import io.ivsanalytics.config.SparkSessions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * A fetch run in its own JVM, for tests that kill it or need Spark task retries (a master such as
 * {@code local[2,3]}). Arguments are {@code key=value}: master, ids, lake, endpoint, from, to,
 * clock, tps, chunk, flushMs, and optionally failAt=N (attempt 0 of every task fails right after
 * archiving its worker's N-th id).
 */
public final class FetchChild {
  public static void main(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    SparkConf conf =
        new SparkConf()
            .setMaster(a.get("master"))
            .setAppName("fetch-child")
            .set("spark.default.parallelism", "2")
            .set("spark.sql.shuffle.partitions", "2");
    SparkSession spark = SparkSession.builder().config(SparkSessions.apply(conf)).getOrCreate();
    if (a.containsKey("failAt")) {
      int failAt = Integer.parseInt(a.get("failAt"));
      FetchSessionsFunction.hook =
          (partition, attempt, index) -> {
            if (attempt == 0 && index == failAt) {
              throw new IllegalStateException(
                  "injected failure: partition " + partition + " attempt 0 at id " + index);
            }
          };
    }
    FetchOptions o =
        FetchOptions.builder(Settings.defaults())
            .idsFile(Path.of(a.get("ids")))
            .lake(a.get("lake"))
            .endpoint(a.get("endpoint"))
            .from(LocalDate.parse(a.get("from")))
            .to(LocalDate.parse(a.get("to")))
            .clock(Clock.fixed(Instant.parse(a.get("clock")), ZoneOffset.UTC))
            .quotaTps(Double.parseDouble(a.get("tps")))
            .partitions(2)
            .backoff(new Backoff(5, 100))
            .chunkRecords(Integer.parseInt(a.get("chunk")))
            .chunkFlushMillis(Long.parseLong(a.get("flushMs")))
            .build();
    FetchSummary s = FetchStage.run(spark, o);
    s.print(System.out);
    System.out.flush();
    spark.stop();
    System.exit(s.balanced() ? 0 : 1);
  }

  private FetchChild() {}
}
