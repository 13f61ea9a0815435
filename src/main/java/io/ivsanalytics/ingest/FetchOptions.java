package io.ivsanalytics.ingest;

import io.ivsanalytics.config.DateOptions;
import io.ivsanalytics.config.Settings;
import io.ivsanalytics.config.UsageException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * What one fetch run does. The ids come from exactly one of: {@code idsFile} (a local path or a
 * Hadoop URI), {@code ids} (given by a caller), or {@code discover} (ListChannels in {@code
 * regions}). The window is [from, to) in UTC days; by default the last 7 full days.
 */
public record FetchOptions(
    String idsFile,
    List<FetchId> ids,
    boolean discover,
    List<String> regions,
    String lake,
    LocalDate from,
    LocalDate to,
    String endpoint,
    double quotaTps,
    double safety,
    long attemptTimeoutMillis,
    long callTimeoutMillis,
    int maxAttempts,
    Integer partitions,
    Backoff backoff,
    int chunkRecords,
    long chunkFlushMillis,
    Clock clock,
    double maxFailedShare,
    double progressIntervalSeconds,
    List<String> accounts,
    AccountRoles roles) {

  public FetchOptions {
    regions = regions == null ? List.of() : List.copyOf(regions);
    accounts = accounts == null ? List.of() : List.copyOf(accounts);
    roles = roles == null ? AccountRoles.NONE : roles;
    for (String a : accounts) {
      if (!a.matches("\\d{12}")) {
        throw new UsageException("--accounts takes 12-digit AWS account ids, got '" + a + "'");
      }
    }
    if (!accounts.isEmpty() && !discover) {
      throw new UsageException(
          "--accounts is for --discover (an ids file names its accounts in the ARNs)");
    }
    int sources = (idsFile != null ? 1 : 0) + (ids != null ? 1 : 0) + (discover ? 1 : 0);
    if (sources != 1) {
      throw new UsageException("give exactly one of --ids FILE or --discover");
    }
    if (discover && regions.isEmpty()) {
      throw new UsageException(
          "--discover needs a region: --region R (repeatable) or 'region' in the conf file");
    }
    if (lake == null || lake.isBlank()) {
      throw new UsageException("missing lake directory (--lake DIR)");
    }
    DateOptions.requireOrdered(from, to);
    if (!(quotaTps > 0) || !(safety > 0) || safety > 1) {
      throw new UsageException(
          String.format(
              Locale.ROOT,
              "quota %.3f TPS and safety %.3f: need quota > 0 and 0 < safety <= 1",
              quotaTps,
              safety));
    }
    if (maxAttempts < 1) {
      throw new UsageException("fetch.max.attempts must be >= 1, got " + maxAttempts);
    }
    if (partitions != null && partitions < 1) {
      throw new UsageException("fetch.partitions must be >= 1, got " + partitions);
    }
    if (!(maxFailedShare >= 0) || maxFailedShare > 1) {
      throw new UsageException(
          String.format(
              Locale.ROOT,
              "fetch.max.failed.share must be between 0 and 1, got %s",
              maxFailedShare));
    }
    if (!(progressIntervalSeconds >= 0) || Double.isInfinite(progressIntervalSeconds)) {
      throw new UsageException(
          String.format(
              Locale.ROOT,
              "fetch.progress.interval.seconds must be >= 0 (0 = no progress lines), got %s",
              progressIntervalSeconds));
    }
  }

  /** A builder with the Settings values and the default window. */
  public static Builder builder(Settings s) {
    Builder b = new Builder();
    b.endpoint = s.get("endpoint");
    if (s.get("region") != null) {
      b.regions = List.of(s.get("region"));
    }
    b.lake = s.get("lake");
    b.quotaTps = s.getDouble("quota.tps");
    b.safety = s.getDouble("fetch.safety");
    b.attemptTimeoutMillis = s.getInt("fetch.attempt.timeout.ms");
    b.callTimeoutMillis = s.getInt("fetch.call.timeout.ms");
    b.maxAttempts = s.getInt("fetch.max.attempts");
    b.partitions = s.get("fetch.partitions") == null ? null : s.getInt("fetch.partitions");
    b.backoff = new Backoff(s.getInt("fetch.backoff.base.ms"), s.getInt("fetch.backoff.max.ms"));
    b.maxFailedShare = s.getDouble("fetch.max.failed.share");
    b.progressIntervalSeconds = s.getDouble("fetch.progress.interval.seconds");
    b.roles = AccountRoles.from(s, null, null);
    return b;
  }

  public LocalDate runDate() {
    return LocalDate.now(clock.withZone(ZoneOffset.UTC));
  }

  public static final class Builder {
    private String idsFile;
    private List<FetchId> ids;
    private boolean discover;
    private List<String> regions = List.of();
    private String lake;
    private LocalDate from;
    private LocalDate to;
    private String endpoint;
    private double quotaTps = 5;
    private double safety = 0.97;
    private long attemptTimeoutMillis = 5000;
    private long callTimeoutMillis = 120_000;
    private int maxAttempts = 8;
    private Integer partitions;
    private Backoff backoff = new Backoff(200, 20_000);
    private int chunkRecords = 500;
    private long chunkFlushMillis = 30_000;
    private Clock clock = Clock.systemUTC();
    private double maxFailedShare = 0.5;
    private double progressIntervalSeconds = 10;
    private List<String> accounts = List.of();
    private AccountRoles roles = AccountRoles.NONE;

    public Builder idsFile(Path v) {
      idsFile = v == null ? null : v.toString();
      return this;
    }

    /** A local path or a Hadoop URI ({@code s3://bucket/ids.csv}). */
    public Builder idsFile(String v) {
      idsFile = v;
      return this;
    }

    public Builder ids(List<FetchId> v) {
      ids = v == null ? null : List.copyOf(v);
      return this;
    }

    public Builder discover(boolean v) {
      discover = v;
      return this;
    }

    public Builder regions(List<String> v) {
      if (v != null && !v.isEmpty()) {
        regions = List.copyOf(v);
      }
      return this;
    }

    public Builder lake(String v) {
      if (v != null) {
        lake = v;
      }
      return this;
    }

    public Builder from(LocalDate v) {
      from = v;
      return this;
    }

    public Builder to(LocalDate v) {
      to = v;
      return this;
    }

    public Builder endpoint(String v) {
      if (v != null) {
        endpoint = v;
      }
      return this;
    }

    public Builder quotaTps(double v) {
      quotaTps = v;
      return this;
    }

    public Builder safety(double v) {
      safety = v;
      return this;
    }

    public Builder maxAttempts(int v) {
      maxAttempts = v;
      return this;
    }

    public Builder attemptTimeoutMillis(long v) {
      attemptTimeoutMillis = v;
      return this;
    }

    public Builder callTimeoutMillis(long v) {
      callTimeoutMillis = v;
      return this;
    }

    public Builder partitions(Integer v) {
      partitions = v;
      return this;
    }

    public Builder backoff(Backoff v) {
      backoff = v;
      return this;
    }

    public Builder chunkRecords(int v) {
      chunkRecords = v;
      return this;
    }

    public Builder chunkFlushMillis(long v) {
      chunkFlushMillis = v;
      return this;
    }

    public Builder clock(Clock v) {
      clock = v;
      return this;
    }

    public Builder maxFailedShare(double v) {
      maxFailedShare = v;
      return this;
    }

    public Builder progressIntervalSeconds(double v) {
      progressIntervalSeconds = v;
      return this;
    }

    /** Accounts whose channels {@code --discover} lists, each through its role. */
    public Builder accounts(List<String> v) {
      if (v != null) {
        accounts = List.copyOf(v);
      }
      return this;
    }

    public Builder roles(AccountRoles v) {
      roles = v;
      return this;
    }

    /** {@code aws.role.arn}: a template with {@code {account}} (null keeps the settings' value). */
    public Builder roleArn(String v) {
      if (v != null) {
        roles = roles.withTemplate(v);
      }
      return this;
    }

    /** {@code sts.endpoint} (null keeps the settings' value). */
    public Builder stsEndpoint(String v) {
      if (v != null) {
        roles = roles.withStsEndpoint(v);
      }
      return this;
    }

    public FetchOptions build() {
      LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
      LocalDate t = to != null ? to : today;
      LocalDate f = from != null ? from : t.minusDays(7);
      return new FetchOptions(
          idsFile,
          ids,
          discover,
          regions,
          lake,
          f,
          t,
          endpoint,
          quotaTps,
          safety,
          attemptTimeoutMillis,
          callTimeoutMillis,
          maxAttempts,
          partitions,
          backoff,
          chunkRecords,
          chunkFlushMillis,
          clock,
          maxFailedShare,
          progressIntervalSeconds,
          accounts,
          roles);
    }
  }
}
