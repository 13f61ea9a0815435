package io.ivsanalytics.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;

import io.ivsanalytics.lake.LakeFs;
import io.ivsanalytics.model.LakePaths;
import io.ivsanalytics.model.RawArchive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Which sessions the raw archive already holds in their final state (ended), for the window's dt
 * partitions: a Spark job over the archive; only the keys come back to the driver.
 */
final class ArchiveIndex {

  /** {@link FetchId#key} of every archived session with an endTime, dt in [from, to). */
  static Set<String> endedSessions(
      SparkSession spark, LakeFs fs, String lakeRoot, LocalDate from, LocalDate to) {
    List<String> dirs = new ArrayList<>();
    try {
      for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
        String dir = LakePaths.partition(RawArchive.dir(lakeRoot), d);
        if (fs.isDirectory(dir)) {
          dirs.add(dir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list raw archive under " + lakeRoot, e);
    }
    Set<String> keys = new HashSet<>();
    if (dirs.isEmpty()) {
      return keys;
    }
    spark.sparkContext().setJobDescription("fetch: read archived session keys");
    List<Row> rows =
        spark
            .read()
            .option("pathGlobFilter", "*" + RawArchive.FILE_SUFFIX)
            .text(dirs.toArray(String[]::new))
            .select(
                get_json_object(col("value"), "$.streamSession.channel.arn").as("channel_arn"),
                get_json_object(col("value"), "$.streamSession.streamId").as("stream_id"),
                get_json_object(col("value"), "$.streamSession.endTime").as("end_time"))
            .where(
                col("end_time")
                    .isNotNull()
                    .and(col("channel_arn").isNotNull())
                    .and(col("stream_id").isNotNull()))
            .select("channel_arn", "stream_id")
            .distinct()
            .collectAsList();
    spark.sparkContext().setJobDescription(null);
    for (Row r : rows) {
      keys.add(FetchId.key(r.getString(0), r.getString(1)));
    }
    return keys;
  }

  private ArchiveIndex() {}
}
