package io.ivsanalytics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.config.Settings;
import io.ivsanalytics.model.IvsArn;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.simulator.Fleet;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import io.ivsanalytics.simulator.SimulatorStats.Outcome;
import io.ivsanalytics.simulator.SimulatorStats.QuotaWindow;
import io.ivsanalytics.testing.WithSimulator;
import io.ivsanalytics.testing.WithSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ids of several AWS accounts, fetched through STS AssumeRole against the simulator (which enforces
 * ownership and serves STS on the same port).
 */
@WithSimulator
@WithSpark
class FetchAccountsTest {
  static final String A = "111122223333";
  static final String B = "444455556666";
  static final String C = "777788889999";
  static final Instant ANCHOR = Instant.parse("2024-05-06T12:00:00Z");
  static final LocalDate FROM = LocalDate.parse("2024-05-01");
  static final LocalDate TO = LocalDate.parse("2024-05-07");
  static final Clock RUN_CLOCK = Clock.fixed(Instant.parse("2024-05-07T03:00:00Z"), ZoneOffset.UTC);

  static IvsSimulator sim;
  static SparkSession spark;

  @TempDir Path dir;

  static SimulatorConfig simulatorConfig() {
    return SimulatorConfig.builder()
        .seed(31)
        .accounts(A, B, C)
        .regions("us-west-2", "eu-west-1")
        .channelsPerAccountRegion(2)
        .days(6)
        .sessionsPerChannelPerDay(3)
        .anchor(ANCHOR)
        .tps(200)
        .build();
  }

  @AfterEach
  void resetKnobs() {
    sim.knobs().tps(200).stsDurationSeconds(0);
    sim.knobs().deniedRoles().clear();
  }

  FetchOptions.Builder options(List<FetchId> ids) {
    return options(sim, ids);
  }

  FetchOptions.Builder options(IvsSimulator server, List<FetchId> ids) {
    return FetchOptions.builder(Settings.defaults())
        .ids(ids)
        .lake(dir.resolve("lake").toString())
        .endpoint(server.endpoint().toString())
        .from(FROM)
        .to(TO)
        .quotaTps(200)
        .partitions(2)
        .backoff(new Backoff(5, 100))
        .clock(RUN_CLOCK);
  }

  /** Up to {@code perAccountRegion} session ids of each of {@code accounts}, in both regions. */
  static List<FetchId> sessions(int perAccountRegion, String... accounts) {
    return sessions(sim, perAccountRegion, accounts);
  }

  static List<FetchId> sessions(IvsSimulator sim, int perAccountRegion, String... accounts) {
    List<FetchId> ids = new ArrayList<>();
    for (String account : accounts) {
      for (String region : List.of("us-west-2", "eu-west-1")) {
        int n = 0;
        for (Fleet.Channel c : sim.fleet().channels(account, region)) {
          for (Fleet.Session s : c.sessions()) {
            if (n++ < perAccountRegion) {
              ids.add(new FetchId(c.arn(), s.streamId()));
            }
          }
        }
      }
    }
    return ids;
  }

  List<Row> errorRows() {
    Path errors = dir.resolve("lake").resolve(Schemas.Table.FETCH_ERRORS.dirName());
    return Files.isDirectory(errors)
        ? spark.read().parquet(errors.toString()).collectAsList()
        : List.of();
  }

  static Map<String, Long> byAccount(List<Row> rows) {
    return rows.stream()
        .collect(
            Collectors.groupingBy(
                r -> IvsArn.parse(r.getAs("channel_arn")).accountId(),
                TreeMap::new,
                Collectors.counting()));
  }

  @Test
  void mixedAccountIdsFileIsFetchedThroughOneRolePerAccount() throws Exception {
    List<FetchId> ids = sessions(6, A, B, C);
    Path file = dir.resolve("ids.csv");
    Files.writeString(
        file,
        "channel_arn,stream_id\n"
            + ids.stream()
                .map(id -> id.channelArn() + "," + id.streamId())
                .collect(Collectors.joining("\n"))
            + "\n",
        StandardCharsets.UTF_8);
    int issuedBefore = sim.assumeRoleCount();
    FetchSummary s =
        FetchStage.run(
            spark, options(null).ids(null).idsFile(file).roleArn(TestRoles.TEMPLATE).build());
    assertEquals(ids.size(), s.requested());
    assertEquals(ids.size(), s.fetched(), s.errorsByCode().toString());
    assertTrue(s.balanced());
    assertTrue(errorRows().isEmpty());
    assertTrue(
        s.warnings().stream().noneMatch(w -> w.startsWith("account ")), s.warnings().toString());
    // one role session per account and region of the calls (STS is regional), none per id
    int issued = sim.assumeRoleCount() - issuedBefore;
    assertTrue(issued >= 3 && issued <= 6, "AssumeRole calls: " + issued);
    Set<String> keys = sim.stats().accessKeys();
    for (String account : List.of(A, B, C)) {
      assertTrue(
          keys.stream().anyMatch(k -> k.startsWith("ASIA" + account)),
          account + " called with its role: " + keys);
    }
  }

  @Test
  void credentialsExpiringMidRunAreRefreshedWithoutLosingAnIdOrABurstOfDenials() {
    // 3-second credentials, renewed 2 s before they expire, while fetching at the quota for ~6 s;
    // a simulator of its own, so that its quota windows count this run only
    try (IvsSimulator sim =
        IvsSimulator.start(
            SimulatorConfig.builder()
                .seed(32)
                .accounts(A, B)
                .regions("us-west-2", "eu-west-1")
                .channelsPerAccountRegion(2)
                .days(6)
                .sessionsPerChannelPerDay(3)
                .anchor(ANCHOR)
                .tps(8)
                .stsDurationSeconds(3)
                .build())) {
      expiringCredentials(sim);
    }
  }

  void expiringCredentials(IvsSimulator sim) {
    List<FetchId> ids = sessions(sim, 24, A, B);
    long deniedBefore = sim.stats().count("GetStreamSession", Outcome.CLIENT_ERROR);
    int issuedBefore = sim.assumeRoleCount();
    FetchSummary s =
        FetchStage.run(
            spark,
            options(sim, ids)
                .quotaTps(8)
                .safety(0.97)
                .roles(AccountRoles.NONE.withTemplate(TestRoles.TEMPLATE).withRefreshSeconds(2))
                .build());
    assertEquals(ids.size(), s.requested());
    assertEquals(ids.size(), s.fetched(), s.errorsByCode().toString());
    assertTrue(s.balanced());
    assertTrue(errorRows().isEmpty());
    assertEquals(
        deniedBefore,
        sim.stats().count("GetStreamSession", Outcome.CLIENT_ERROR),
        "no request was refused for expired or unknown credentials");
    assertEquals(0, s.throttles());
    int issued = sim.assumeRoleCount() - issuedBefore;
    assertTrue(
        issued >= 4 * 2,
        "credentials were renewed during the run: " + issued + " AssumeRole calls");
    // still one budget per (account, region): each at most the quota
    Map<String, QuotaWindow> windows = sim.stats().quotaWindows("GetStreamSession");
    assertEquals(4, windows.size());
    for (Map.Entry<String, QuotaWindow> w : windows.entrySet()) {
      assertEquals(24, w.getValue().requests(), w.toString());
      assertTrue(w.getValue().requestsPerSecond() <= 8 * 1.05, w.toString());
    }
  }

  @Test
  void aDeniedRoleIsOneErrorRowPerIdReportedOnce() {
    sim.knobs().deniedRoles().add("arn:aws:iam::" + B + ":role/IvsAnalyticsRead");
    List<FetchId> ids = sessions(5, A, B);
    long stsDeniedBefore = sim.stats().count("AssumeRole", Outcome.CLIENT_ERROR);
    // a session name of its own: the clients of other tests already hold valid credentials of B's
    // role
    AccountRoles roles =
        new AccountRoles(TestRoles.TEMPLATE, new TreeMap<>(), null, "denied-role-test", 300, null);
    FetchSummary s = FetchStage.run(spark, options(ids).roles(roles).build());
    assertEquals(ids.size(), s.requested());
    assertEquals(10, s.fetched());
    assertEquals(Map.of("AccessDeniedException", 10L), s.errorsByCode());
    assertTrue(s.balanced());
    List<Row> rows = errorRows();
    assertEquals(Map.of(B, 10L), byAccount(rows));
    for (Row r : rows) {
      assertEquals(403, (int) r.<Integer>getAs("http_status"));
      assertTrue(
          r.<String>getAs("message")
              .startsWith(
                  "cannot assume role arn:aws:iam::"
                      + B
                      + ":role/IvsAnalyticsRead for account "
                      + B
                      + ": STS AccessDenied (HTTP 403): User: "),
          r.<String>getAs("message"));
    }
    List<String> lines = s.warnings().stream().filter(w -> w.startsWith("account ")).toList();
    assertEquals(1, lines.size(), s.warnings().toString());
    assertTrue(
        lines.get(0).startsWith("account " + B + ": 10 id(s) not fetched: cannot assume role"),
        lines.get(0));
    long stsDenied = sim.stats().count("AssumeRole", Outcome.CLIENT_ERROR) - stsDeniedBefore;
    // at most once per region (STS is regional) and concurrent task (2), not once per id (10)
    assertTrue(stsDenied >= 1 && stsDenied <= 4, "AssumeRole calls: " + stsDenied);
  }

  @Test
  void anAccountWithoutARoleEndsAsAccessDeniedRowsAndTheSummaryNamesTheKeyToSet() throws Exception {
    Path map = dir.resolve("roles.csv");
    Files.writeString(
        map,
        "account_id,role_arn\n" + B + ",arn:aws:iam::" + B + ":role/ReadIvs\n",
        StandardCharsets.UTF_8);
    List<FetchId> ids = sessions(4, A, B, C);
    // the base credentials belong to the first simulated account (A); B through the map; C has no
    // role
    AccountRoles roles =
        new AccountRoles(null, AccountRoles.readMap(map), null, "ivs-analytics", 300, null);
    FetchSummary s = FetchStage.run(spark, options(ids).roles(roles).build());
    assertEquals(24, s.requested());
    assertEquals(16, s.fetched());
    assertEquals(Map.of("AccessDeniedException", 8L), s.errorsByCode());
    assertTrue(s.balanced());
    assertEquals(Map.of(C, 8L), byAccount(errorRows()));
    assertTrue(
        errorRows()
            .get(0)
            .<String>getAs("message")
            .contains("is not authorized to perform: ivs:GetStreamSession"));
    List<String> lines = s.warnings().stream().filter(w -> w.startsWith("account ")).toList();
    assertEquals(
        List.of(
            "account "
                + C
                + ": 8 id(s) AccessDeniedException with the base credentials; no role is configured"
                + " for this account: set aws.role.arn (IVS_ANALYTICS_AWS_ROLE_ARN), e.g."
                + " arn:aws:iam::{account}:role/IvsAnalyticsRead, or add '"
                + C
                + ",arn:aws:iam::"
                + C
                + ":role/NAME' to"
                + " aws.role.map"),
        lines);
    assertTrue(sim.stats().accessKeys().stream().anyMatch(k -> k.startsWith("ASIA" + B)));
  }

  @Test
  void discoveryListsEveryChannelOfEachAccountThroughItsRole() {
    List<String> regions = List.of("us-west-2", "eu-west-1");
    FetchSummary s =
        FetchStage.run(
            spark,
            options(null)
                .ids(null)
                .discover(true)
                .accounts(List.of(A, C))
                .regions(regions)
                .roleArn(TestRoles.TEMPLATE)
                .build());
    long expected = sim.fleet().channels().stream().filter(c -> !c.accountId().equals(B)).count();
    assertEquals(expected, s.inputIds());
    assertEquals(
        Set.of(A + "/us-west-2", A + "/eu-west-1", C + "/us-west-2", C + "/eu-west-1"),
        s.inputMix().keySet());
    assertTrue(s.balanced());

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                FetchStage.run(
                    spark,
                    options(null)
                        .ids(null)
                        .discover(true)
                        .accounts(List.of(C))
                        .regions(regions)
                        .build()));
    assertTrue(
        e.getMessage().contains("no role is configured for account " + C)
            && e.getMessage().contains("aws.role.arn"),
        e.getMessage());
  }
}
