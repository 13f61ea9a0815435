package io.ivsanalytics.cli;

import io.ivsanalytics.config.DateOptions;
import io.ivsanalytics.config.Settings;
import io.ivsanalytics.config.SparkSessions;
import io.ivsanalytics.config.UsageException;
import io.ivsanalytics.ingest.FetchOptions;
import io.ivsanalytics.ingest.FetchStage;
import io.ivsanalytics.ingest.FetchSummary;
import io.ivsanalytics.ingest.IdsFile;
import io.ivsanalytics.lake.LakeFs;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ivs-analytics fetch}: GetStreamSession for the requested ids into the raw archive, and
 * the ids that could not be fetched into fetch_errors (per-id failures are data, not a failed
 * run). Exit code 0 when every requested id is accounted for (fetched or in fetch_errors), 1 when
 * the run failed, 2 on bad input.
 */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch IVS stream sessions into LAKE/raw (and LAKE/fetch_errors).",
      "Ids: --ids FILE (channel ARN per line, or CSV 'channel_arn,stream_id'; blank stream id ="
          + " all sessions in the window) or --discover (ListChannels in each --region)."
    })
public final class FetchCommand implements Callable<Integer> {
  @Option(names = "--ids", paramLabel = "FILE", description = "ids file: a local path or a Hadoop URI (s3://bucket/ids.csv)")
  String ids;

  @Option(names = "--discover", description = "list all channels of the account (or of each --accounts) in each --region")
  boolean discover;

  @Option(names = "--accounts", split = ",", paramLabel = "ID", description = "with --discover: 12-digit account ids"
      + " whose channels to list, each through its role (aws.role.arn)")
  List<String> accounts;

  @Option(names = "--role-arn", paramLabel = "ARN", description = "role to assume in each account, {account} is"
      + " replaced by the account id (default: aws.role.arn setting)")
  String roleArn;

  @Option(names = "--sts-endpoint", paramLabel = "URL", description = "STS endpoint override (default: sts.endpoint"
      + " setting, else --endpoint, else the regional STS endpoint)")
  String stsEndpoint;

  @Option(names = "--lake", paramLabel = "DIR", description = "lake root (default: 'lake' setting)")
  String lake;

  @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "window start, UTC, inclusive (default: --to minus 7 days)")
  String from;

  @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "window end, UTC, exclusive (default: today)")
  String to;

  @Option(names = "--endpoint", paramLabel = "URL", description = "IVS endpoint override (a simulator)")
  String endpoint;

  @Option(names = "--region", paramLabel = "R", description = "region for --discover (repeatable)")
  List<String> regions;

  @Option(names = "--tps", paramLabel = "N", description = "quota per account, region and operation (default: quota.tps, 5)")
  Double tps;

  @Option(names = "--conf", paramLabel = "FILE", description = "settings file (default: conf/ivs-analytics.properties)")
  String conf;

  @Override
  public Integer call() {
    Settings settings = Settings.loadFrom(conf);
    FetchOptions options = options(settings);
    if (ids != null) {
      IdsFile.read(LakeFs.submitted(), ids); // bad input fails before Spark starts
    }
    SparkSession spark = SparkSessions.create("ivs-analytics fetch");
    try {
      FetchSummary summary = FetchStage.run(spark, options);
      summary.print(System.out);
      return summary.ok() ? 0 : Main.EXIT_FAILED;
    } finally {
      SparkSessions.stop(spark);
    }
  }

  FetchOptions options(Settings settings) {
    if ((ids != null) == discover) {
      throw new UsageException("give exactly one of --ids FILE or --discover");
    }
    FetchOptions.Builder b = FetchOptions.builder(settings)
        .idsFile(ids)
        .discover(discover)
        .regions(regions)
        .lake(lake)
        .endpoint(endpoint)
        .accounts(accounts)
        .roleArn(roleArn)
        .stsEndpoint(stsEndpoint)
        .from(DateOptions.parse("--from", from))
        .to(DateOptions.parse("--to", to));
    if (tps != null) {
      b.quotaTps(tps);
    }
    return b.build();
  }
}
