package io.ivsanalytics.cli;

import io.ivsanalytics.config.SparkSessions;
import io.ivsanalytics.ingest.FetchOptions;
import io.ivsanalytics.ingest.FetchStage;
import io.ivsanalytics.ingest.FetchSummary;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ivs-analytics fetch}: GetStreamSession for the requested ids into the raw archive, and the
 * ids that could not be fetched into fetch_errors (per-id failures are data, not a failed run).
 * Exit code 0 when every requested id is accounted for (fetched or in fetch_errors), 1 when the run
 * failed, 2 on bad input.
 */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch IVS stream sessions into LAKE/raw (and LAKE/fetch_errors).",
      "Ids: --ids FILE (channel ARN per line, or CSV 'channel_arn,stream_id'; blank stream id ="
          + " all sessions in the window) or --discover (ListChannels in each --region).",
      "Window: [--from, --to), default: the 7 days before --to, which defaults to today."
    })
public final class FetchCommand implements Callable<Integer> {
  @Mixin FetchCliOptions fetch = new FetchCliOptions();

  @Override
  public Integer call() {
    FetchOptions options = fetch.options(fetch.settings());
    SparkSession spark = SparkSessions.create("ivs-analytics fetch");
    try {
      FetchSummary summary = FetchStage.run(spark, options);
      summary.print(System.out);
      return summary.ok() ? 0 : Main.EXIT_FAILED;
    } finally {
      SparkSessions.stop(spark);
    }
  }
}
