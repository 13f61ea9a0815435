package io.ivsanalytics.cli;

import io.ivsanalytics.config.Settings;
import io.ivsanalytics.ingest.FetchOptions;
import io.ivsanalytics.ingest.IdsFile;
import io.ivsanalytics.lake.LakeFs;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of a fetch ({@code fetch}, {@code run}), declared once: where the ids come from, the
 * IVS and STS endpoints, the quota, plus the lake, the window and the settings file. They are
 * checked once, by {@link FetchOptions} (the id source, accounts, regions, lake and window) and
 * {@link IdsFile} (the ids file), before Spark starts.
 */
public final class FetchCliOptions {
  @Option(
      names = "--ids",
      paramLabel = "FILE",
      description = "ids file: a local path or a Hadoop URI (s3://bucket/ids.csv)")
  String ids;

  @Option(
      names = "--discover",
      description = "list all channels of the account (or of each --accounts) in each --region")
  boolean discover;

  @Option(
      names = "--accounts",
      split = ",",
      paramLabel = "ID",
      description =
          "with --discover: 12-digit account ids"
              + " whose channels to list, each through its role (aws.role.arn)")
  List<String> accounts;

  @Option(
      names = "--role-arn",
      paramLabel = "ARN",
      description =
          "role to assume in each account, {account} is"
              + " replaced by the account id (default: aws.role.arn setting)")
  String roleArn;

  @Option(
      names = "--sts-endpoint",
      paramLabel = "URL",
      description =
          "STS endpoint override (default: sts.endpoint"
              + " setting, else --endpoint, else the regional STS endpoint)")
  String stsEndpoint;

  @Mixin LakeOption lake = new LakeOption();

  @Mixin WindowOptions window = new WindowOptions();

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description = "IVS endpoint override (a simulator)")
  String endpoint;

  @Option(names = "--region", paramLabel = "R", description = "region for --discover (repeatable)")
  List<String> regions;

  @Option(
      names = "--tps",
      paramLabel = "N",
      description = "quota per account, region and operation (default: quota.tps, 5)")
  Double tps;

  @Mixin ConfOption conf = new ConfOption();

  /** The settings of {@code --conf}. */
  Settings settings() {
    return conf.settings();
  }

  /**
   * The fetch these options ask for, validated: the options themselves by {@link FetchOptions}, and
   * a given ids file parsed once here, so that bad input fails before Spark starts.
   */
  FetchOptions options(Settings settings) {
    FetchOptions.Builder b =
        FetchOptions.builder(settings)
            .idsFile(ids)
            .discover(discover)
            .regions(regions)
            .lake(lake.lake)
            .endpoint(endpoint)
            .accounts(accounts)
            .roleArn(roleArn)
            .stsEndpoint(stsEndpoint)
            .from(window.from())
            .to(window.to());
    if (tps != null) {
      b.quotaTps(tps);
    }
    FetchOptions options = b.build();
    if (options.idsFile() != null) {
      IdsFile.read(LakeFs.submitted(), options.idsFile());
    }
    return options;
  }
}
