package io.ivsanalytics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivsanalytics.TestSpark;
import io.ivsanalytics.config.Settings;
import io.ivsanalytics.config.SparkSessions;
import io.ivsanalytics.model.RawArchive;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.simulator.Fleet;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fetch task that Spark retries: its first attempt archives ids and fails; by the second attempt
 * IVS refuses those ids (403). Each id must end exactly once: the refused ones only as error rows,
 * never also in the archive the first attempt wrote.
 */
class RetriedFetchTaskTest {
  static final String ACCOUNT = "123456789012";
  static final LocalDate FROM = LocalDate.parse("2024-05-04");
  static final LocalDate TO = LocalDate.parse("2024-05-07");

  @TempDir Path dir;

  @Test
  void aRetriedTaskLeavesEachIdArchivedOrAnErrorRowNeverBoth() throws Exception {
    try (IvsSimulator sim =
        IvsSimulator.start(
            SimulatorConfig.builder()
                .seed(11)
                .accounts(ACCOUNT)
                .regions("us-west-2")
                .channelsPerAccountRegion(2)
                .days(3)
                .sessionsPerChannelPerDay(2)
                .anchor(Instant.parse("2024-05-06T12:00:00Z"))
                .tps(1000)
                .build())) {
      List<FetchId> ids = new ArrayList<>();
      for (Fleet.Channel c : sim.fleet().channels()) {
        for (Fleet.Session s : c.sessions()) {
          ids.add(new FetchId(c.arn(), s.streamId()));
        }
      }
      assertTrue(ids.size() >= 4, "fixture: " + ids.size() + " ids");
      Set<String> streams = new HashSet<>();
      ids.forEach(id -> streams.add(id.streamId()));

      // Attempt 0 archives two ids (each written at once: chunks of one id), then IVS starts
      // refusing every id and the attempt fails; Spark runs the task again (local[1,2]).
      AtomicInteger failures = new AtomicInteger();
      FetchSessionsFunction.hook =
          (partition, attempt, index) -> {
            if (attempt == 0 && index == 1) {
              sim.knobs().forbiddenIds().addAll(streams);
              failures.incrementAndGet();
              throw new IllegalStateException("injected failure after archiving 2 ids");
            }
          };
      SparkSession shared = TestSpark.session();
      shared.stop();
      SparkSession spark =
          SparkSession.builder()
              .config(
                  SparkSessions.apply(
                      new SparkConf()
                          .setMaster("local[1,2]")
                          .setAppName("retried-fetch-task")
                          .set("spark.sql.shuffle.partitions", "1")
                          .set("spark.default.parallelism", "1")))
              .getOrCreate();
      Path lake = dir.resolve("lake");
      FetchSummary summary;
      try {
        summary =
            FetchStage.run(
                spark,
                FetchOptions.builder(Settings.defaults())
                    .ids(ids)
                    .lake(lake.toString())
                    .endpoint(sim.endpoint().toString())
                    .from(FROM)
                    .to(TO)
                    .quotaTps(500)
                    .partitions(1)
                    .chunkRecords(1)
                    .chunkFlushMillis(0)
                    .backoff(new Backoff(5, 50))
                    .clock(Clock.fixed(Instant.parse("2024-05-07T03:00:00Z"), ZoneOffset.UTC))
                    .build());
      } finally {
        FetchSessionsFunction.hook = null;
        spark.stop();
      }
      assertEquals(1, failures.get(), "attempt 0 failed once");

      Set<String> archived = archivedKeys(lake);
      Set<String> errors = new HashSet<>();
      for (Row r :
          TestSpark.session()
              .read()
              .schema(Schemas.FETCH_ERRORS)
              .parquet(lake.resolve(Schemas.Table.FETCH_ERRORS.dirName()).toString())
              .collectAsList()) {
        assertEquals("AccessDeniedException", r.getAs("error_code"));
        errors.add(FetchId.key(r.getAs("channel_arn"), r.getAs("stream_id")));
      }
      assertEquals(ids.size(), errors.size(), "every id refused by the retry is an error row");
      Set<String> both = new HashSet<>(archived);
      both.retainAll(errors);
      assertEquals(Set.of(), both, "no id both archived and an error row");
      assertEquals(ids.size(), summary.requested());
      assertEquals(0, summary.fetchedNew());
      assertTrue(summary.balanced());
    }
  }

  static Set<String> archivedKeys(Path lake) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Set<String> keys = new HashSet<>();
    Path raw = lake.resolve(RawArchive.DIR);
    if (!Files.exists(raw)) {
      return keys;
    }
    try (Stream<Path> files = Files.walk(raw)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().endsWith(RawArchive.FILE_SUFFIX)).toList()) {
        try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            JsonNode s = json.readTree(line).path(RawArchive.STREAM_SESSION);
            keys.add(
                FetchId.key(s.path("channel").path("arn").asText(), s.path("streamId").asText()));
          }
        }
      }
    }
    return keys;
  }
}
