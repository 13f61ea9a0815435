package io.ivsanalytics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.TestSpark;
import io.ivsanalytics.ingest.FetchId;
import io.ivsanalytics.ingest.FetchSummary;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fetch.max.failed.share}: a run where more of the ids than that share got no answer from
 * IVS exits 1 after writing fetch_errors; ResourceNotFound and AccessDenied are answers.
 */
class FailedShareTest {
  static final String A = "arn:aws:ivs:us-west-2:111122223333:channel/AbCdEf123456";
  static final String B = "arn:aws:ivs:eu-west-1:444455556666:channel/ZyXwVu987654";

  @TempDir Path dir;

  static int closedLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  Path conf(String extra) throws IOException {
    return Files.writeString(
        dir.resolve("job-" + Math.abs(extra.hashCode()) + ".properties"),
        "fetch.max.attempts = 2\nfetch.backoff.base.ms = 10\nfetch.backoff.max.ms = 50\n"
            + "fetch.attempt.timeout.ms = 2000\n"
            + extra,
        StandardCharsets.UTF_8);
  }

  Set<String> errorRows(Path lake, Set<String> codes) {
    Set<String> keys = new TreeSet<>();
    for (Row r :
        TestSpark.session()
            .read()
            .parquet(lake.resolve(Schemas.Table.FETCH_ERRORS.dirName()).toString())
            .select("channel_arn", "stream_id", "error_code")
            .collectAsList()) {
      keys.add(FetchId.key(r.getString(0), r.getString(1)));
      codes.add(r.getString(2));
    }
    return keys;
  }

  @Test
  void unreachableEndpointExits1WithEveryIdInFetchErrors() throws IOException {
    Path ids =
        Files.writeString(
            dir.resolve("ids.csv"),
            "channel_arn,stream_id\n"
                + A
                + ",st-Aaa111\n"
                + A
                + ",st-Bbb222\n"
                + B
                + ",st-Ccc333\n"
                + B
                + ",\n",
            StandardCharsets.UTF_8);
    String endpoint = "http://127.0.0.1:" + closedLoopbackPort();
    Path lake = dir.resolve("lake");
    MainRun r =
        MainRun.of(
            "fetch",
            "--ids",
            ids.toString(),
            "--lake",
            lake.toString(),
            "--endpoint",
            endpoint,
            "--conf",
            conf("").toString(),
            "--from",
            "2024-05-01",
            "--to",
            "2024-05-08");
    assertEquals(Main.EXIT_FAILED, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("FAILED:    4 of 4 requested ids (100.0%) got no answer"), r.out());
    assertTrue(r.out().contains("fetch.max.failed.share 0.50"), r.out());
    assertTrue(r.out().contains("requested = fetched + errors: 4 = 0 + 4 holds"), r.out());
    Set<String> codes = new TreeSet<>();
    assertEquals(
        Set.of(
            FetchId.key(A, "st-Aaa111"),
            FetchId.key(A, "st-Bbb222"),
            FetchId.key(B, "st-Ccc333"),
            FetchId.key(B, null)),
        errorRows(lake, codes));
    assertEquals(Set.of("ConnectionError"), codes);

    Path lake2 = dir.resolve("lake2");
    MainRun tolerated =
        MainRun.of(
            "fetch",
            "--ids",
            ids.toString(),
            "--lake",
            lake2.toString(),
            "--endpoint",
            endpoint,
            "--conf",
            conf("fetch.max.failed.share = 1\n").toString(),
            "--from",
            "2024-05-01",
            "--to",
            "2024-05-08");
    assertEquals(0, tolerated.code(), tolerated.out() + tolerated.err());
    assertFalse(tolerated.out().contains("FAILED"), tolerated.out());
    assertTrue(
        tolerated
            .out()
            .contains(
                "no answer: 4 of 4 requested ids (100.0%), within fetch.max.failed.share 1.00"),
        tolerated.out());
    assertEquals(4, errorRows(lake2, new TreeSet<>()).size());
  }

  @Test
  void notFoundAndAccessDeniedAreAnswersNotFailures() throws IOException {
    try (IvsSimulator sim =
        IvsSimulator.start(SimulatorConfig.builder().channelsPerAccountRegion(1).days(1).build())) {
      // A channel of the simulator's (and the caller's) account: unknown streams are 404s. A
      // channel of another account, with no role configured for it: 403.
      String own = sim.fleet().channels().get(0).arn();
      Path ids =
          Files.writeString(
              dir.resolve("ids.csv"),
              "channel_arn,stream_id\n"
                  + own
                  + ",st-Missing1111111111111111\n"
                  + own
                  + ",st-Missing2222222222222222\n"
                  + B
                  + ",st-Missing3333333333333333\n",
              StandardCharsets.UTF_8);
      Path lake = dir.resolve("lake");
      MainRun r =
          MainRun.of(
              "fetch",
              "--ids",
              ids.toString(),
              "--lake",
              lake.toString(),
              "--endpoint",
              sim.endpoint().toString(),
              "--conf",
              conf("").toString(),
              "--from",
              "2024-05-01",
              "--to",
              "2024-05-08");
      assertEquals(0, r.code(), r.out() + r.err());
      assertTrue(
          r.out().contains("errors:    3 (AccessDeniedException 1, ResourceNotFoundException 2)"),
          r.out());
      assertFalse(r.out().contains("FAILED") || r.out().contains("no answer"), r.out());
    }
  }

  @Test
  void answersAreTheFourHundredsOtherThan429() {
    assertFalse(FetchSummary.isFailure("ResourceNotFoundException", 404));
    assertFalse(FetchSummary.isFailure("AccessDeniedException", 403));
    assertFalse(FetchSummary.isFailure("ValidationException", 400));
    assertTrue(FetchSummary.isFailure("ThrottlingException", 429));
    assertTrue(FetchSummary.isFailure("InternalServerException", 500));
    assertTrue(FetchSummary.isFailure("ServiceUnavailableException", 503));
    assertTrue(FetchSummary.isFailure("MalformedResponse", 200));
    assertTrue(FetchSummary.isFailure("Timeout", null));
    assertTrue(FetchSummary.isFailure("ConnectionError", null));
  }
}
