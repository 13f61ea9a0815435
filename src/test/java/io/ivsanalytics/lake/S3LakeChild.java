package io.ivsanalytics.lake;

import static org.apache.spark.sql.functions.col;

import io.ivsanalytics.cli.Main;
import io.ivsanalytics.config.SparkSessions;
import io.ivsanalytics.model.Schemas.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The weekly commands in their own JVM, as spark-submit would run them: Spark settings (the {@code
 * spark.hadoop.fs.s3a.*} keys included) come only from {@code -Dspark.*} system properties, and the
 * working directory has no {@code conf/}.
 *
 * <p>Arguments: {@code endpoint d0 d1 d2} and then one or more {@code lake|ids|out|conf} runs (the
 * ids and conf files may be Hadoop URIs; the commands take the lake from the conf file's {@code
 * lake}, the run's {@code lake} is where its tables are read back). Each run: fetch [d0, d1) and
 * flatten it (an empty lake: one pass), fetch [d1, d2) and flatten it (a lake with sessions:
 * merge), flatten [d0, d2) again (a rerun replacing every key), report [d0, d2) into {@code
 * out/report}, and the lake tables as sorted text into {@code out/tables/<table>.txt} (without
 * {@code fetched_at}, the wall-clock time of the call).
 */
public final class S3LakeChild {
  public static void main(String[] args) throws IOException {
    String endpoint = args[0];
    String d0 = args[1];
    String d1 = args[2];
    String d2 = args[3];
    for (int i = 4; i < args.length; i++) {
      String[] run = args[i].split("\\|");
      String lake = run[0];
      String ids = run[1];
      Path out = Path.of(run[2]);
      String conf = run[3];
      step("fetch", "--conf", conf, "--ids", ids, "--endpoint", endpoint, "--from", d0, "--to", d1);
      step("flatten", "--conf", conf, "--from", d0, "--to", d1);
      step("fetch", "--conf", conf, "--ids", ids, "--endpoint", endpoint, "--from", d1, "--to", d2);
      step("flatten", "--conf", conf, "--from", d1, "--to", d2);
      step("flatten", "--conf", conf, "--from", d0, "--to", d2);
      step(
          "report",
          "--conf",
          conf,
          "--from",
          d0,
          "--to",
          d2,
          "--out",
          out.resolve("report").toString());
      dump(SparkSessions.create("s3-lake-child"), lake, out.resolve("tables"));
    }
    System.exit(0);
  }

  private static void step(String... args) {
    System.out.println("== " + String.join(" ", args));
    System.out.flush();
    long t0 = System.nanoTime();
    int code = Main.execute(args);
    System.out.printf(
        java.util.Locale.ROOT, "== %s took %.1f s%n", args[0], (System.nanoTime() - t0) / 1e9);
    if (code != 0) {
      System.err.println("exit " + code + " from: " + String.join(" ", args));
      System.exit(10 + code);
    }
  }

  static void dump(SparkSession spark, String lake, Path dir) throws IOException {
    Files.createDirectories(dir);
    LakeFs fs = LakeFs.onDriver(spark);
    for (Table t : Table.values()) {
      List<String> lines = new ArrayList<>();
      String tableDir = t.dir(lake);
      if (fs.isDirectory(tableDir)) {
        Dataset<Row> df = spark.read().schema(t.schema()).parquet(tableDir);
        Column[] keep =
            Arrays.stream(df.columns())
                .filter(c -> !c.equals("fetched_at"))
                .map(c -> col(c))
                .toArray(Column[]::new);
        for (Row r : df.select(keep).collectAsList()) {
          // The SDK's message carries the request id of the call, different on every run.
          lines.add(r.toString().replaceAll("Request ID: [0-9a-fA-F-]+", "Request ID: *"));
        }
      }
      lines.sort(null);
      Files.write(dir.resolve(t.dirName() + ".txt"), lines, StandardCharsets.UTF_8);
    }
  }

  private S3LakeChild() {}
}
