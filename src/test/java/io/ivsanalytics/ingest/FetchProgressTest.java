package io.ivsanalytics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.TestSpark;
import io.ivsanalytics.config.Settings;
import io.ivsanalytics.simulator.Fleet;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan at the start and the progress lines while the fetch runs. */
class FetchProgressTest {
  static final Pattern DONE = Pattern.compile("progress GetStreamSession: (\\d+)/(\\d+) ids");

  @TempDir Path dir;

  static Row outcome(String status, int attempts, int throttles, long endedMs) {
    return RowFactory.create(
        Outcomes.OP_GET,
        "arn",
        "st",
        "111122223333/us-west-2",
        status,
        null,
        null,
        null,
        attempts,
        throttles,
        endedMs - 100,
        endedMs,
        new Timestamp(endedMs),
        null,
        null);
  }

  @Test
  void accumulatorCountsMergesAndCopies() {
    FetchProgress a = new FetchProgress();
    assertTrue(a.isZero());
    a.add(
        new FetchProgress.Update(
            "111122223333/us-west-2",
            List.of(
                outcome(Outcomes.FETCHED, 1, 0, 10_500), outcome(Outcomes.FETCHED, 3, 2, 11_200),
                outcome(Outcomes.ERROR, 2, 0, 11_900),
                    outcome(Outcomes.DISCOVERED, 0, 0, 11_900))));
    FetchProgress b = a.copy();
    b.merge(a);
    FetchProgress.Snapshot s = b.value();
    assertEquals(6, s.get("111122223333/us-west-2", FetchProgress.DONE));
    assertEquals(2, s.get("111122223333/us-west-2", FetchProgress.ERRORS));
    assertEquals(12, s.get("111122223333/us-west-2", FetchProgress.CALLS));
    assertEquals(4, s.get("111122223333/us-west-2", FetchProgress.THROTTLES));
    assertEquals(2, s.calls("111122223333/us-west-2", 10, 11));
    assertEquals(10, s.calls("111122223333/us-west-2", 11, 12));
    b.reset();
    assertTrue(b.isZero());
    assertEquals(3, a.value().total(FetchProgress.DONE));
  }

  @Test
  void lineShowsDoneRateShareThrottlesErrorsAndEta() {
    List<FetchId> ids = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ids.add(new FetchId("arn:aws:ivs:us-west-2:111122223333:channel/Ch" + i, "st-" + i));
    }
    FetchPlan plan = FetchPlan.of(ids, 2, null, 4.85, 10);
    FetchProgress p = new FetchProgress();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(outcome(i == 0 ? Outcomes.ERROR : Outcomes.FETCHED, 1, 0, 1_000_000 + i * 250L));
    }
    p.add(new FetchProgress.Update("111122223333/us-west-2", rows));
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    try (ProgressReporter r =
        ProgressReporter.start(
            TestSpark.session().sparkContext(),
            "t",
            "GetStreamSession",
            plan,
            p,
            5,
            0,
            lines::add,
            () -> 1_000_000L)) {
      // 40 calls ended between 1000 s and 1010 s; the line at 1012 s with every task ended at 1010
      // s.
      String line = r.line(p.value(), 1_012_000, 1_010_000, 1_000_000);
      assertTrue(
          r.line(p.value(), 1_012_000, 1_010_000, Long.MAX_VALUE)
              .contains("calls/s: not measured yet"));
      assertTrue(
          line.startsWith("progress GetStreamSession: 40/100 ids (40%), elapsed 12 s, "), line);
      assertTrue(line.contains("throttled 0, errors 1"), line);
      assertTrue(line.contains("111122223333/us-west-2 40/100 4.00/s (80%)"), line);
      assertTrue(line.contains("ETA 15 s"), line);
    }
    assertTrue(lines.isEmpty(), "interval 0 prints no line");
  }

  @Test
  void planFirstThenProgressLinesThatMoveWhileTheFetchRuns() {
    Instant anchor = Instant.parse("2024-05-06T12:00:00Z");
    try (IvsSimulator sim =
        IvsSimulator.start(
            SimulatorConfig.builder()
                .seed(5)
                .accounts("111122223333", "444455556666")
                .regions("us-west-2", "eu-west-1")
                .channelsPerAccountRegion(2)
                .days(10)
                .sessionsPerChannelPerDay(2)
                .anchor(anchor)
                .tps(5)
                .build())) {
      List<FetchId> ids = new ArrayList<>();
      for (Fleet.Channel c : sim.fleet().channels()) {
        for (Fleet.Session s : c.sessions()) {
          ids.add(new FetchId(c.arn(), s.streamId()));
        }
      }
      FetchOptions o =
          FetchOptions.builder(Settings.defaults())
              .ids(ids)
              .lake(dir.resolve("lake").toString())
              .endpoint(sim.endpoint().toString())
              .roleArn(TestRoles.TEMPLATE)
              .from(LocalDate.parse("2024-04-20"))
              .to(LocalDate.parse("2024-05-08"))
              .quotaTps(5)
              .progressIntervalSeconds(0.5)
              .build();
      List<String> lines = Collections.synchronizedList(new ArrayList<>());
      FetchSummary summary = FetchStage.run(TestSpark.session(), o, lines::add);
      String all = String.join("\n", lines);
      assertTrue(summary.balanced() && summary.fetched() == ids.size(), all);
      assertEquals(0, summary.throttles(), all);

      List<String> plan =
          lines.stream().filter(l -> l.startsWith("plan GetStreamSession")).toList();
      assertTrue(
          plan.get(0)
              .startsWith(
                  "plan GetStreamSession: "
                      + ids.size()
                      + " ids over 4 account/region(s); 2 task"
                      + " slots"),
          all);
      Map<String, Long> perGroup = new java.util.TreeMap<>();
      ids.forEach(id -> perGroup.merge(id.accountRegion(), 1L, Long::sum));
      perGroup.forEach(
          (g, n) ->
              assertTrue(
                  plan.stream().anyMatch(l -> l.contains(g) && l.contains(" " + n + " ids")),
                  g + " " + n + "\n" + all));
      assertTrue(
          lines.indexOf(plan.get(0))
              < lines.indexOf(
                  lines.stream().filter(l -> l.startsWith("progress")).findFirst().orElseThrow()),
          all);

      long previous = 0;
      boolean midway = false;
      boolean measured = false;
      for (String l : lines) {
        Matcher m = DONE.matcher(l);
        if (m.find()) {
          long done = Long.parseLong(m.group(1));
          assertEquals(ids.size(), Long.parseLong(m.group(2)), l);
          assertTrue(done >= previous, "done never goes back: " + all);
          previous = done;
          midway |= done > 0 && done < ids.size();
          measured |= l.contains("% of") || l.matches(".*\\d+\\.\\d\\d/s \\(\\d+%\\).*");
          assertTrue(l.contains("throttled 0"), l);
        }
      }
      assertTrue(midway, "a line while the fetch was under way shows ids done: " + all);
      assertTrue(measured, "a line shows calls/s and the share of the quota: " + all);
    }
  }
}
