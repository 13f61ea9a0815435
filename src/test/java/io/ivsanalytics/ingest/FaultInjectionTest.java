package io.ivsanalytics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.LakeTables;
import io.ivsanalytics.config.Settings;
import io.ivsanalytics.flatten.FlattenStage;
import io.ivsanalytics.model.RawArchive;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import io.ivsanalytics.simulator.Fleet;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import io.ivsanalytics.simulator.SimulatorStats;
import io.ivsanalytics.testing.WithSimulator;
import io.ivsanalytics.testing.WithSpark;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetch and flatten while the API misbehaves in every way at once: 30% throttling, 5% 5xx, slow
 * answers past the attempt timeout, connection resets, malformed JSON, 404 and 403 for some ids.
 */
@WithSimulator
@WithSpark
class FaultInjectionTest {
  static final String A = "111122223333";
  static final String B = "444455556666";
  static final LocalDate FROM = LocalDate.parse("2024-05-03");
  static final LocalDate TO = LocalDate.parse("2024-05-07");
  static final int MAX_ATTEMPTS = 8;
  static final Set<String> TRANSIENT =
      Set.of(
          CallFailure.THROTTLING,
          "InternalServerException",
          CallFailure.TIMEOUT,
          CallFailure.CONNECTION,
          CallFailure.MALFORMED);

  static IvsSimulator sim;
  static SparkSession spark;
  @TempDir Path dir;

  static SimulatorConfig simulatorConfig() {
    return SimulatorConfig.builder()
        .seed(5)
        .accounts(A, B)
        .regions("us-west-2", "eu-west-1")
        .channelsPerAccountRegion(2)
        .days(3)
        .sessionsPerChannelPerDay(2)
        .anchor(Instant.parse("2024-05-06T12:00:00Z"))
        .tps(1000)
        .throttleRate(0.30)
        .serverErrorRate(0.05)
        .slowRate(0.03)
        .slowMs(2500)
        .resetRate(0.03)
        .malformedRate(0.03)
        .build();
  }

  long requests() {
    return sim.stats().requests("GetStreamSession") + sim.stats().requests("ListStreamSessions");
  }

  long clientErrors() {
    return sim.stats().count("GetStreamSession", SimulatorStats.Outcome.CLIENT_ERROR)
        + sim.stats().count("ListStreamSessions", SimulatorStats.Outcome.CLIENT_ERROR);
  }

  long throttled() {
    return sim.stats().throttled("GetStreamSession") + sim.stats().throttled("ListStreamSessions");
  }

  @Test
  void everyIdEndsArchivedOnceOrAsOneErrorRowWithBoundedCountedRetries() throws Exception {
    List<FetchId> ids = new ArrayList<>();
    Set<String> expectedSessions = new HashSet<>();
    Map<String, String> expectedErrors = new HashMap<>();
    Instant from = FROM.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant to = TO.atStartOfDay(ZoneOffset.UTC).toInstant();
    for (Fleet.Channel c : sim.fleet().channels()) {
      if (c.accountId().equals(A)) {
        ids.add(FetchId.channel(c.arn())); // discovered with ListStreamSessions
      }
      for (Fleet.Session s : c.sessions()) {
        if (c.accountId().equals(B)) {
          ids.add(new FetchId(c.arn(), s.streamId())); // also sessions outside the window
          expectedSessions.add(FetchId.key(c.arn(), s.streamId()));
        } else if (!s.startTime().isBefore(from) && s.startTime().isBefore(to)) {
          expectedSessions.add(FetchId.key(c.arn(), s.streamId()));
        }
      }
    }
    Fleet.Channel forbiddenChannel = sim.fleet().channels(A, "eu-west-1").get(0);
    Fleet.Channel b = sim.fleet().channels(B, "us-west-2").get(0);
    String forbiddenStream = b.sessions().get(1).streamId();
    sim.knobs().forbiddenIds().addAll(List.of(forbiddenChannel.arn(), forbiddenStream));
    expectedSessions.removeIf(k -> k.startsWith(forbiddenChannel.arn() + "|"));
    expectedSessions.remove(FetchId.key(b.arn(), forbiddenStream));
    String unknownChannel = "arn:aws:ivs:us-west-2:" + A + ":channel/deletedChannelX";
    String unknownSession = "arn:aws:ivs:eu-west-1:" + B + ":channel/deletedChannelY";
    ids.add(FetchId.channel(unknownChannel));
    ids.add(new FetchId(unknownSession, "st-0000000000000000000000q"));
    expectedErrors.put(FetchId.key(forbiddenChannel.arn(), null), "AccessDeniedException");
    expectedErrors.put(FetchId.key(b.arn(), forbiddenStream), "AccessDeniedException");
    expectedErrors.put(FetchId.key(unknownChannel, null), "ResourceNotFoundException");
    expectedErrors.put(
        FetchId.key(unknownSession, "st-0000000000000000000000q"), "ResourceNotFoundException");

    long requestsBefore = requests();
    long throttledBefore = throttled();
    long clientErrorsBefore = clientErrors();
    Path lake = dir.resolve("lake");
    FetchSummary summary =
        FetchStage.run(
            spark,
            FetchOptions.builder(Settings.defaults())
                .ids(ids)
                .lake(lake.toString())
                .endpoint(sim.endpoint().toString())
                .roleArn(TestRoles.TEMPLATE)
                .from(FROM)
                .to(TO)
                .quotaTps(400)
                .partitions(3)
                .maxAttempts(MAX_ATTEMPTS)
                .attemptTimeoutMillis(1000)
                .backoff(new Backoff(5, 80))
                .clock(Clock.fixed(Instant.parse("2024-05-07T02:00:00Z"), ZoneOffset.UTC))
                .build());

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    summary.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
    String text = printed.toString(StandardCharsets.UTF_8);
    assertTrue(summary.balanced(), text);
    assertTrue(text.contains("input:     " + ids.size() + " ids from 4 account/region(s)"), text);

    // The archive: each session once.
    Map<String, Integer> archived = archivedKeys(lake);
    archived.forEach((k, n) -> assertEquals(1, n, "archived once: " + k));

    // fetch_errors: one row per failed id; the permanent ones after one attempt, the others
    // bounded.
    List<Row> errorRows =
        spark
            .read()
            .schema(Schemas.FETCH_ERRORS)
            .parquet(lake.resolve(Table.FETCH_ERRORS.dirName()).toString())
            .collectAsList();
    Map<String, Row> errors = new HashMap<>();
    for (Row r : errorRows) {
      String key = FetchId.key(r.getAs("channel_arn"), r.getAs("stream_id"));
      assertTrue(errors.put(key, r) == null, "one error row per id: " + key);
      int attempts = r.getAs("attempts");
      String code = r.getAs("error_code");
      if (expectedErrors.containsKey(key)) {
        assertEquals(expectedErrors.get(key), code, key);
        assertTrue(
            attempts >= 1 && attempts <= MAX_ATTEMPTS,
            "transient failures before the 4xx, then no retry: " + r);
      } else {
        assertTrue(
            TRANSIENT.contains(code), "only transient failures may exhaust the retries: " + r);
        assertEquals(MAX_ATTEMPTS, attempts, "retried up to the limit: " + r);
      }
      assertFalse(archived.containsKey(key), "an id is archived or an error, not both: " + key);
    }
    assertTrue(errors.keySet().containsAll(expectedErrors.keySet()), errors.keySet().toString());
    assertEquals(summary.errors(), errorRows.size(), "errors in the summary = fetch_errors rows");
    assertEquals(summary.fetched(), archived.size(), "fetched in the summary = sessions archived");
    assertEquals(
        summary.requested(),
        archived.size() + errorRows.size(),
        "requested = fetched + fetch_errors");
    Set<String> accounted = new HashSet<>(archived.keySet());
    accounted.addAll(errors.keySet());
    Set<String> requested = new HashSet<>(expectedSessions);
    requested.addAll(expectedErrors.keySet());
    assertTrue(accounted.containsAll(requested), "every requested id accounted for");

    // Retries happened, were bounded and were all counted: every attempt is one request the server
    // saw.
    assertTrue(summary.throttles() > 0 && summary.retries() > 0, text);
    assertTrue(summary.retries() <= (long) (MAX_ATTEMPTS - 1) * summary.requested(), text);
    assertEquals(
        expectedErrors.size(),
        clientErrors() - clientErrorsBefore,
        "each 403/404 answered once: not retried");
    assertEquals(throttled() - throttledBefore, summary.throttles(), "throttles counted: " + text);
    for (int i = 0; i < 80 && requests() - requestsBefore < summary.calls(); i++) {
      Thread.sleep(100); // slow answers are counted when they finish, after the client gave up
    }
    assertEquals(summary.calls(), requests() - requestsBefore, "every attempt counted: " + text);
    double throttleShare = (double) summary.throttles() / summary.calls();
    assertTrue(
        throttleShare > 0.15 && throttleShare < 0.45, "about 30% throttled: " + throttleShare);

    // Flatten: one row per archived session, nothing duplicated.
    FlattenStage.run(
        spark, List.of(lake.resolve(RawArchive.DIR).toString()), lake.toString(), FROM, TO);
    List<Row> sessions =
        spark
            .read()
            .schema(Schemas.SESSIONS)
            .parquet(lake.resolve("sessions").toString())
            .select("channel_arn", "stream_id")
            .collectAsList();
    Set<String> sessionKeys = new HashSet<>();
    for (Row r : sessions) {
      assertTrue(
          sessionKeys.add(FetchId.key(r.getString(0), r.getString(1))),
          "one sessions row per session: " + r);
    }
    Set<String> archivedInWindow = new HashSet<>(archived.keySet());
    archivedInWindow.retainAll(expectedSessions);
    assertTrue(
        sessionKeys.containsAll(archivedInWindow), "every archived session of the window is a row");
    for (Table t : List.of(Table.TRACKS, Table.EVENTS, Table.RECORDING_SETTINGS)) {
      assertEquals(
          0, LakeTables.duplicates(LakeTables.rows(spark, lake, t)), "no duplicate rows in " + t);
    }
  }

  static Map<String, Integer> archivedKeys(Path lake) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    try (Stream<Path> walk = Files.walk(lake.resolve(RawArchive.DIR))) {
      for (Path f : walk.filter(p -> p.toString().endsWith(RawArchive.FILE_SUFFIX)).toList()) {
        String text;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String line : text.split("\n")) {
          var s = json.readTree(line).path(RawArchive.STREAM_SESSION);
          counts.merge(
              FetchId.key(s.path("channel").path("arn").asText(), s.path("streamId").asText()),
              1,
              Integer::sum);
        }
      }
    }
    return counts;
  }
}
