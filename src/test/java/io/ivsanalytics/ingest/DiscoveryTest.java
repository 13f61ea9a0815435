package io.ivsanalytics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.config.Settings;
import io.ivsanalytics.simulator.Fleet;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import io.ivsanalytics.testing.WithSimulator;
import io.ivsanalytics.testing.WithSpark;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ListChannels and ListStreamSessions paging, the window filter and the early stop. */
@WithSimulator
@WithSpark
class DiscoveryTest {
  static final Instant ANCHOR = Instant.parse("2024-05-11T00:00:00Z");
  static final String LIST = "ListStreamSessions";
  static IvsSimulator sim;
  static SparkSession spark;

  @TempDir Path dir;

  static SimulatorConfig simulatorConfig() {
    return SimulatorConfig.builder()
        .seed(5)
        .accounts("123456789012")
        .regions("us-west-2", "eu-central-1")
        .channelsPerAccountRegion(2)
        .days(10)
        .sessionsPerChannelPerDay(16)
        .anchor(ANCHOR)
        .tps(500)
        .build();
  }

  static Fleet.Channel busiest() {
    Fleet.Channel c =
        sim.fleet().channels().stream()
            .max(Comparator.comparingInt(x -> x.sessions().size()))
            .orElseThrow();
    assertTrue(
        c.sessions().size() > 150,
        "fixture: a channel with more than one page and a half: " + c.sessions().size());
    return c;
  }

  static long inWindow(Fleet.Channel c, LocalDate from, LocalDate to) {
    Instant f = from.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant t = to.atStartOfDay(ZoneOffset.UTC).toInstant();
    return c.sessions().stream()
        .filter(s -> !s.startTime().isBefore(f) && s.startTime().isBefore(t))
        .count();
  }

  FetchOptions.Builder options(LocalDate from, LocalDate to) {
    return FetchOptions.builder(Settings.defaults())
        .lake(dir.resolve("lake").toString())
        .endpoint(sim.endpoint().toString())
        .from(from)
        .to(to)
        .quotaTps(500)
        .partitions(2)
        .backoff(new Backoff(5, 50))
        .clock(Clock.fixed(ANCHOR, ZoneOffset.UTC));
  }

  @Test
  void pagesThroughAllSessionsOfTheWindow() {
    Fleet.Channel c = busiest();
    LocalDate from = LocalDate.parse("2024-05-01");
    LocalDate to = LocalDate.parse("2024-05-11");
    long before = sim.stats().requests(LIST);
    FetchSummary s =
        FetchStage.run(spark, options(from, to).ids(List.of(FetchId.channel(c.arn()))).build());
    long pages = sim.stats().requests(LIST) - before;

    assertEquals(c.sessions().size(), inWindow(c, from, to), "the window covers the whole history");
    assertEquals(c.sessions().size(), s.sessionsDiscovered());
    assertEquals(c.sessions().size(), s.fetchedNew());
    assertEquals((c.sessions().size() + 99) / 100, pages, "100 per page, every page read once");
    assertTrue(s.balanced());
  }

  @Test
  void keepsOnlyTheWindowAndStopsPagingAtOlderSessions() {
    Fleet.Channel c = busiest();
    LocalDate from = LocalDate.parse("2024-05-09");
    LocalDate to = LocalDate.parse("2024-05-10");
    long before = sim.stats().requests(LIST);
    FetchSummary s =
        FetchStage.run(spark, options(from, to).ids(List.of(FetchId.channel(c.arn()))).build());
    long pages = sim.stats().requests(LIST) - before;

    long expected = inWindow(c, from, to);
    assertTrue(expected > 0 && expected < c.sessions().size());
    assertEquals(expected, s.sessionsDiscovered());
    assertEquals(expected, s.fetchedNew());
    // sessions are listed newest first: the first page already reaches sessions before 05-09
    int newerThanFrom =
        (int)
            c.sessions().stream()
                .filter(x -> !x.startTime().isBefore(from.atStartOfDay(ZoneOffset.UTC).toInstant()))
                .count();
    assertEquals(newerThanFrom / 100 + 1, pages);
    assertTrue(pages < (c.sessions().size() + 99) / 100, "stopped early: " + pages + " pages");
  }

  @Test
  void discoverListsChannelsOfEveryRegion() {
    LocalDate from = LocalDate.parse("2024-05-10");
    LocalDate to = LocalDate.parse("2024-05-11");
    FetchSummary s =
        FetchStage.run(
            spark,
            options(from, to).discover(true).regions(List.of("us-west-2", "eu-central-1")).build());

    List<String> expectedMix =
        new ArrayList<>(List.of("123456789012/eu-central-1", "123456789012/us-west-2"));
    assertEquals(expectedMix, new ArrayList<>(s.inputMix().keySet()));
    assertEquals(sim.fleet().channels().size(), s.channelsListed());
    long expected = sim.fleet().channels().stream().mapToLong(c -> inWindow(c, from, to)).sum();
    assertEquals(expected, s.sessionsDiscovered());
    assertEquals(expected, s.fetched());
    assertTrue(s.balanced());
  }
}
