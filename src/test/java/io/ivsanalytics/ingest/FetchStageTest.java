package io.ivsanalytics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivsanalytics.config.Settings;
import io.ivsanalytics.model.RawArchive;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.simulator.Fleet;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import io.ivsanalytics.testing.WithSimulator;
import io.ivsanalytics.testing.WithSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetch stage end to end against the in-process IVS simulator. */
@WithSimulator
@WithSpark
class FetchStageTest {
  static final String ACCOUNT_A = "111122223333";
  static final String ACCOUNT_B = "444455556666";
  static final Instant ANCHOR = Instant.parse("2024-05-06T12:00:00Z");
  static final LocalDate FROM = LocalDate.parse("2024-05-04");
  static final LocalDate TO = LocalDate.parse("2024-05-07");
  static final Clock RUN_CLOCK = Clock.fixed(Instant.parse("2024-05-07T03:00:00Z"), ZoneOffset.UTC);
  static final ObjectMapper JSON = new ObjectMapper();

  static IvsSimulator sim;
  static SparkSession spark;

  @TempDir Path dir;

  static SimulatorConfig simulatorConfig() {
    return SimulatorConfig.builder()
        .seed(11)
        .accounts(ACCOUNT_A, ACCOUNT_B)
        .regions("us-west-2", "eu-west-1")
        .channelsPerAccountRegion(2)
        .days(4)
        .sessionsPerChannelPerDay(2)
        .anchor(ANCHOR)
        .tps(200)
        .build();
  }

  @AfterEach
  void resetKnobs() {
    sim.knobs()
        .tps(200)
        .latencyMs(0)
        .latencyJitterMs(0)
        .serverErrorRate(0)
        .resetRate(0)
        .malformedRate(0)
        .slowRate(0);
    sim.knobs().forbiddenIds().clear();
  }

  FetchOptions.Builder options(List<FetchId> ids) {
    return FetchOptions.builder(Settings.defaults())
        .ids(ids)
        .lake(dir.resolve("lake").toString())
        .endpoint(sim.endpoint().toString())
        .roleArn(TestRoles.TEMPLATE)
        .from(FROM)
        .to(TO)
        .quotaTps(200)
        .partitions(3)
        .backoff(new Backoff(5, 100))
        .clock(RUN_CLOCK);
  }

  static List<FetchId> allChannels() {
    return sim.fleet().channels().stream().map(c -> FetchId.channel(c.arn())).toList();
  }

  /** Sessions of the fleet that start in [FROM, TO), as FetchId keys. */
  static Set<String> sessionsInWindow() {
    Set<String> keys = new HashSet<>();
    for (Fleet.Channel c : sim.fleet().channels()) {
      for (Fleet.Session s : c.sessions()) {
        if (!s.startTime().isBefore(FROM.atStartOfDay(ZoneOffset.UTC).toInstant())
            && s.startTime().isBefore(TO.atStartOfDay(ZoneOffset.UTC).toInstant())) {
          keys.add(FetchId.key(c.arn(), s.streamId()));
        }
      }
    }
    return keys;
  }

  /** Every raw archive line under the lake: key -> count, and the raw bytes of all files. */
  record Archive(Map<String, Integer> counts, List<JsonNode> lines, byte[] allBytes) {}

  Archive archive(String runId) throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    List<JsonNode> lines = new ArrayList<>();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    Path raw = dir.resolve("lake").resolve(RawArchive.DIR);
    if (!Files.exists(raw)) {
      return new Archive(counts, lines, new byte[0]);
    }
    try (Stream<Path> files = Files.walk(raw)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().endsWith(RawArchive.FILE_SUFFIX)).toList()) {
        assertFalse(f.getFileName().toString().startsWith("."), "no temporary files left: " + f);
        if (runId != null && !f.getFileName().toString().startsWith(runId)) {
          continue;
        }
        byte[] bytes;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
          bytes = in.readAllBytes();
        }
        all.write(bytes);
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
          JsonNode n = JSON.readTree(line);
          lines.add(n);
          JsonNode s = n.path(RawArchive.STREAM_SESSION);
          String dt = f.getParent().getFileName().toString();
          assertEquals(
              "dt=" + s.path("startTime").asText().substring(0, 10),
              dt,
              "dt is the UTC start date");
          counts.merge(
              FetchId.key(s.path("channel").path("arn").asText(), s.path("streamId").asText()),
              1,
              Integer::sum);
        }
      }
    }
    return new Archive(counts, lines, all.toByteArray());
  }

  List<Row> fetchErrors() {
    Path p = dir.resolve("lake").resolve(Schemas.Table.FETCH_ERRORS.dirName());
    if (!Files.exists(p)) {
      return List.of();
    }
    return spark.read().schema(Schemas.FETCH_ERRORS).parquet(p.toString()).collectAsList();
  }

  static String printed(FetchSummary s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    s.print(new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void discoversAndFetchesEverySessionOnceWithErrorsAsRows() throws IOException {
    Fleet.Channel forbiddenChannel = sim.fleet().channels().get(1);
    Fleet.Channel withStream = sim.fleet().channels().get(2);
    String forbiddenStream = withStream.sessions().get(0).streamId();
    sim.knobs().forbiddenIds().add(forbiddenChannel.arn());
    sim.knobs().forbiddenIds().add(forbiddenStream);
    String unknown = "arn:aws:ivs:us-west-2:" + ACCOUNT_A + ":channel/doesNotExist1";
    List<FetchId> ids = new ArrayList<>(allChannels());
    ids.add(new FetchId(unknown, "st-0000000000000000000000a"));
    ids.add(new FetchId(withStream.arn(), forbiddenStream));

    FetchSummary summary = FetchStage.run(spark, options(ids).build());

    String text = printed(summary);
    assertTrue(summary.balanced(), text);
    assertTrue(text.contains("requested = fetched + errors") && text.contains("holds"), text);
    Set<String> expected = sessionsInWindow();
    expected.removeIf(k -> k.startsWith(forbiddenChannel.arn() + "|"));
    expected.remove(FetchId.key(withStream.arn(), forbiddenStream));
    Archive archive = archive(summary.runId());
    assertEquals(expected, archive.counts().keySet());
    archive.counts().forEach((k, n) -> assertEquals(1, n, "archived once: " + k));
    assertEquals(expected.size(), summary.fetchedNew());
    assertEquals(
        4, summary.inputMix().size(), "two accounts in two regions: " + summary.inputMix());

    Map<String, Row> errors = new HashMap<>();
    for (Row r : fetchErrors()) {
      errors.put(
          r.getAs("error_code") + " " + r.getAs("channel_arn") + " " + r.getAs("stream_id"), r);
      assertEquals("2024-05-07", r.getAs("dt"), "fetch_errors uses the run date");
    }
    Row notFound =
        errors.get("ResourceNotFoundException " + unknown + " st-0000000000000000000000a");
    assertEquals(404, (Integer) notFound.getAs("http_status"), errors.keySet().toString());
    assertEquals(1, (Integer) notFound.getAs("attempts"));
    Row deniedChannel = errors.get("AccessDeniedException " + forbiddenChannel.arn() + " null");
    assertEquals(403, (Integer) deniedChannel.getAs("http_status"), errors.keySet().toString());
    Row deniedStream =
        errors.get("AccessDeniedException " + withStream.arn() + " " + forbiddenStream);
    assertEquals(403, (Integer) deniedStream.getAs("http_status"), errors.keySet().toString());
    assertEquals(3, errors.size(), errors.keySet().toString());
    assertEquals(summary.requested(), expected.size() + 3);

    for (Fleet.Channel c : sim.fleet().channels()) {
      if (c.srtPassphrase() != null && !c.srtPassphrase().isEmpty()) {
        assertFalse(
            new String(archive.allBytes(), StandardCharsets.UTF_8).contains(c.srtPassphrase()),
            "passphrase of " + c.arn() + " in the raw archive");
      }
    }
    for (JsonNode line : archive.lines()) {
      assertTrue(line.path(RawArchive.FETCHED_AT).isTextual());
      assertTrue(
          line.path(RawArchive.STREAM_SESSION)
              .path("channel")
              .path("srt")
              .path("passphrase")
              .isMissingNode());
    }
  }

  @Test
  void rerunSkipsArchivedEndedSessionsAndRefetchesLiveOnesWithoutDuplicateErrors()
      throws IOException {
    String unknown = "arn:aws:ivs:eu-west-1:" + ACCOUNT_B + ":channel/doesNotExist2";
    List<FetchId> ids = new ArrayList<>(allChannels());
    ids.add(new FetchId(unknown, "st-0000000000000000000000b"));
    FetchSummary first = FetchStage.run(spark, options(ids).build());
    assertTrue(first.balanced(), printed(first));

    FetchSummary second = FetchStage.run(spark, options(ids).build());
    assertTrue(second.balanced(), printed(second));

    Set<String> live = new HashSet<>();
    for (JsonNode line : archive(first.runId()).lines()) {
      JsonNode s = line.path(RawArchive.STREAM_SESSION);
      if (s.path("endTime").isMissingNode() || s.path("endTime").isNull()) {
        live.add(FetchId.key(s.path("channel").path("arn").asText(), s.path("streamId").asText()));
      }
    }
    assertFalse(live.isEmpty(), "the fixture has live sessions");
    assertEquals(first.fetchedNew() - live.size(), second.alreadyArchived());
    assertEquals(
        live, archive(second.runId()).counts().keySet(), "only live sessions fetched again");
    List<Row> errors = fetchErrors();
    assertEquals(1, errors.size(), "the rerun replaced its own error row: " + errors);
  }

  @Test
  void retriesInjectedServerErrorsResetsTimeoutsAndMalformedBodies()
      throws IOException, InterruptedException {
    sim.knobs().serverErrorRate(0.25).malformedRate(0.2).resetRate(0.1).slowRate(0.05).slowMs(1500);
    List<FetchId> ids = new ArrayList<>();
    for (Fleet.Channel c : sim.fleet().channels()) {
      for (Fleet.Session s : c.sessions()) {
        ids.add(new FetchId(c.arn(), s.streamId()));
      }
    }
    long before = sim.stats().requests("GetStreamSession");
    FetchSummary summary =
        FetchStage.run(spark, options(ids).maxAttempts(10).attemptTimeoutMillis(400).build());

    String text = printed(summary);
    assertTrue(summary.balanced(), text);
    assertEquals(0, summary.errors(), text);
    assertEquals(ids.size(), summary.fetchedNew(), text);
    assertTrue(summary.retries() > 0, text);
    // slow answers are counted by the simulator when they finish, after the client gave up on them
    for (int i = 0;
        i < 40 && sim.stats().requests("GetStreamSession") - before < summary.calls();
        i++) {
      Thread.sleep(100);
    }
    assertEquals(
        summary.calls(),
        sim.stats().requests("GetStreamSession") - before,
        "every attempt counted: " + text);
    assertTrue(summary.errorsByCode().isEmpty(), text);
    assertEquals(ids.size(), archive(summary.runId()).counts().size());
  }

  @Test
  void persistentTimeoutsBecomeTimeoutRows() {
    sim.knobs().slowRate(1.0).slowMs(1500);
    Fleet.Channel c = sim.fleet().channels().get(0);
    List<FetchId> ids = List.of(new FetchId(c.arn(), c.sessions().get(0).streamId()));
    FetchSummary summary =
        FetchStage.run(spark, options(ids).maxAttempts(2).attemptTimeoutMillis(200).build());

    assertTrue(summary.balanced(), printed(summary));
    assertEquals(Map.of(CallFailure.TIMEOUT, 1L), summary.errorsByCode());
    Row row = fetchErrors().get(0);
    assertEquals(CallFailure.TIMEOUT, row.getAs("error_code"));
    assertTrue(row.isNullAt(row.fieldIndex("http_status")), "no HTTP status without a response");
    assertEquals(2, (Integer) row.getAs("attempts"));
  }

  @Test
  void throttledFanOutLosesNoId() throws IOException {
    sim.knobs().tps(4).latencyMs(20).latencyJitterMs(20);
    List<FetchId> ids = new ArrayList<>();
    for (Fleet.Channel c : sim.fleet().channels()) {
      for (Fleet.Session s : c.sessions()) {
        ids.add(new FetchId(c.arn(), s.streamId()));
      }
    }
    long throttledBefore = sim.stats().throttled("GetStreamSession");
    // The job believes in eight times the real quota: the server throttles, the job backs off.
    FetchSummary summary =
        FetchStage.run(
            spark, options(ids).quotaTps(32).maxAttempts(4).backoff(new Backoff(20, 200)).build());

    String text = printed(summary);
    assertTrue(summary.balanced(), text);
    assertTrue(summary.throttles() > 0, text);
    Archive archive = archive(summary.runId());
    Set<String> errorKeys = new HashSet<>();
    for (Row r : fetchErrors()) {
      assertEquals(CallFailure.THROTTLING, r.getAs("error_code"));
      assertEquals(429, (Integer) r.getAs("http_status"));
      assertTrue(
          errorKeys.add(FetchId.key(r.getAs("channel_arn"), r.getAs("stream_id"))),
          "error row once");
    }
    for (FetchId id : ids) {
      boolean archived = archive.counts().getOrDefault(id.key(), 0) == 1;
      assertTrue(
          archived ^ errorKeys.contains(id.key()), "exactly one of archive or fetch_errors: " + id);
    }
    assertEquals(
        sim.stats().throttled("GetStreamSession") - throttledBefore, summary.throttles(), text);
  }
}
