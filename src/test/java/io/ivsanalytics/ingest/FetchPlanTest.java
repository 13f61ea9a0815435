package io.ivsanalytics.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How ids become tasks and each (account, region)'s quota is shared among them. */
class FetchPlanTest {
  static final double QS = 5 * 0.97;

  static List<FetchId> ids(Map<String, Integer> perGroup) {
    List<FetchId> ids = new ArrayList<>();
    perGroup.forEach(
        (group, n) -> {
          String[] ar = group.split("/");
          for (int i = 0; i < n; i++) {
            ids.add(
                new FetchId(
                    String.format(Locale.ROOT, "arn:aws:ivs:%s:%s:channel/Ch%08d", ar[1], ar[0], i),
                    String.format(Locale.ROOT, "st-%023d", i)));
          }
        });
    return ids;
  }

  static final Map<String, Integer> FOUR =
      Map.of(
          "111122223333/us-west-2",
          200,
          "111122223333/eu-west-1",
          200,
          "444455556666/us-west-2",
          200,
          "444455556666/eu-west-1",
          200);

  @Test
  void weightsLetEverySlotEndTogether() {
    assertArrayEquals(new double[] {1, 1, 1, 1}, FetchPlan.weights(4, 2));
    assertArrayEquals(new double[] {0.5, 1, 0.5}, FetchPlan.weights(3, 2));
    assertArrayEquals(new double[] {1, 1, 0.5, 1, 0.5}, FetchPlan.weights(5, 2));
    assertArrayEquals(new double[] {0.5, 0.5, 1, 1, 0.5, 0.5}, FetchPlan.weights(6, 4));
    assertArrayEquals(new double[] {1, 1}, FetchPlan.weights(2, 4));
  }

  /**
   * Greedy list scheduling as Spark does it (tasks in index order, each on the first free slot),
   * with a task lasting as long as its largest group needs at the planned rate: the time from the
   * first call to the last of the whole fan-out, over the time at the full planned rate.
   */
  static double utilisation(FetchPlan plan) {
    PriorityQueue<Double> free = new PriorityQueue<>();
    for (int s = 0; s < plan.slots(); s++) {
      free.add(0.0);
    }
    double end = 0;
    for (ArrayList<String[]> slice : plan.slices()) {
      Map<String, Integer> n = new java.util.HashMap<>();
      for (String[] id : slice) {
        n.merge(new FetchId(id[0], id[1]).accountRegion(), 1, Integer::sum);
      }
      double d = 0;
      for (Map.Entry<String, Integer> e : n.entrySet()) {
        d = Math.max(d, e.getValue() / plan.groups().get(e.getKey()).ratePerLane());
      }
      double start = free.poll();
      free.add(start + d);
      end = Math.max(end, start + d);
    }
    return plan.expectedSeconds() / end;
  }

  @Test
  void partitionsBelowAtAndAboveTheSlotsKeepEverySlotBusyAndNeverExceedTheQuota() {
    List<FetchId> ids = ids(FOUR);
    for (int slots : new int[] {1, 2, 3, 4, 8}) {
      for (Integer partitions : new Integer[] {null, 1, 2, 3, 4, 5, 6, 7, 9, 13, 16, 40}) {
        FetchPlan plan = FetchPlan.of(ids, slots, partitions, QS, 10);
        String what = "slots " + slots + ", partitions " + partitions + ": " + plan.groups();
        Set<String> seen = new HashSet<>();
        plan.slices()
            .forEach(s -> s.forEach(id -> assertTrue(seen.add(id[0] + " " + id[1]), what)));
        assertEquals(ids.size(), seen.size(), what);
        assertEquals(Math.min(slots, plan.tasks()), plan.concurrent(), what);
        for (FetchPlan.Group g : plan.groups().values()) {
          assertTrue(g.lanes() <= Math.min(slots, g.holders()), what);
          assertEquals(QS, g.lanes() * g.ratePerLane(), 1e-9, what);
        }
        // Whole ids: some lane makes ceil(ids / lanes) calls.
        FetchPlan.Group g = plan.groups().values().iterator().next();
        double bound = (double) g.ids() / (g.lanes() * Math.ceil((double) g.ids() / g.lanes()));
        assertTrue(
            utilisation(plan) >= 0.995 * bound,
            what + " utilisation " + utilisation(plan) + ", bound " + bound);
      }
    }
  }

  /**
   * Each group's own utilisation, as the quota sees it: the time from the group's first call to its
   * last (tasks scheduled as {@link #utilisation} does), over the time at its planned rate.
   */
  static Map<String, Double> groupUtilisation(FetchPlan plan) {
    PriorityQueue<double[]> free =
        new PriorityQueue<>(
            (a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
    for (int s = 0; s < plan.slots(); s++) {
      free.add(new double[] {0.0, s});
    }
    Map<String, double[]> span = new java.util.TreeMap<>();
    for (ArrayList<String[]> slice : plan.slices()) {
      Map<String, Integer> n = new java.util.HashMap<>();
      for (String[] id : slice) {
        n.merge(new FetchId(id[0], id[1]).accountRegion(), 1, Integer::sum);
      }
      double[] slot = free.poll();
      double d = 0;
      for (Map.Entry<String, Integer> e : n.entrySet()) {
        double took = e.getValue() / plan.groups().get(e.getKey()).ratePerLane();
        d = Math.max(d, took);
        double[] sp = span.computeIfAbsent(e.getKey(), k -> new double[] {Double.MAX_VALUE, 0});
        sp[0] = Math.min(sp[0], slot[0]);
        sp[1] = Math.max(sp[1], slot[0] + took);
      }
      free.add(new double[] {slot[0] + d, slot[1]});
    }
    Map<String, Double> u = new java.util.TreeMap<>();
    span.forEach((g, sp) -> u.put(g, plan.groups().get(g).expectedSeconds() / (sp[1] - sp[0])));
    return u;
  }

  @Test
  void aSmallerGroupCallsWithoutPauseInEveryWave() {
    // Three account/regions of different sizes over more tasks than slots: before, the smallest
    // one waited in every task for the largest and reached about 70 % of its quota.
    Map<String, Integer> uneven =
        Map.of(
            "111122223333/us-west-2",
            187,
            "111122223333/eu-west-1",
            160,
            "444455556666/us-west-2",
            130);
    for (int slots : new int[] {2, 4}) {
      for (Integer partitions : new Integer[] {null, 3, 5, 8, 13}) {
        FetchPlan plan =
            FetchPlan.of(ids(uneven), slots, partitions, QS, partitions == null ? 5 : 10);
        Map<String, Double> u = groupUtilisation(plan);
        for (Map.Entry<String, Double> e : u.entrySet()) {
          assertTrue(
              e.getValue() >= 0.98, "slots " + slots + ", partitions " + partitions + ": " + u);
        }
      }
    }
  }

  @Test
  void withoutPartitionsTasksLastAboutTheTaskTimeInWholeWaves() {
    for (int slots : new int[] {1, 2, 3, 4, 8}) {
      FetchPlan auto = FetchPlan.of(ids(FOUR), slots, null, QS, 10);
      assertEquals(0, auto.tasks() % slots, "whole waves");
      assertTrue(utilisation(auto) >= 0.99, slots + " slots: " + utilisation(auto));
    }
    FetchPlan plan = FetchPlan.of(ids(FOUR), 2, null, QS, 10);
    // 2.425 calls/s per task and group for 10 s: 24 ids; 200 ids need ceil(200 / 48) = 5 waves.
    assertEquals(10, plan.tasks());
    assertTrue(plan.largestTask() <= 4 * 24 + 4, "ids per task " + plan.largestTask());
    assertEquals(200 / QS, plan.expectedSeconds(), 1e-9);
    FetchPlan one = FetchPlan.of(ids(Map.of("111122223333/us-west-2", 3)), 8, null, QS, 10);
    assertEquals(3, one.tasks());
    assertEquals(3, one.groups().get("111122223333/us-west-2").lanes());
  }

  @Test
  void smallGroupsTakeConsecutiveTasks() {
    FetchPlan plan =
        FetchPlan.of(
            ids(
                Map.of(
                    "111122223333/us-west-2",
                    40,
                    "222233334444/us-west-2",
                    3,
                    "333344445555/us-west-2",
                    2)),
            4,
            8,
            QS,
            10);
    FetchPlan.Group small = plan.groups().get("222233334444/us-west-2");
    assertEquals(3, small.holders());
    assertEquals(3, small.lanes());
    assertEquals(0, small.firstTask());
    assertEquals(3, plan.groups().get("333344445555/us-west-2").firstTask());
    assertEquals(4, plan.groups().get("111122223333/us-west-2").lanes());
  }

  @Test
  void planNamesIdsPerAccountRegionAndTheExpectedTime() {
    List<String> lines = FetchPlan.of(ids(FOUR), 2, null, QS, 10).describe("GetStreamSession", 5);
    assertTrue(
        lines
            .get(0)
            .startsWith(
                "plan GetStreamSession: 800 ids over 4 account/region(s); 2 task slots,"
                    + " 10 tasks (2 at a time"),
        lines.get(0));
    assertTrue(lines.get(0).endsWith("expected 41 s at the quota"), lines.get(0));
    assertEquals(5, lines.size());
    assertTrue(
        lines.get(1).contains("111122223333/eu-west-1")
            && lines.get(1).contains("200 ids")
            && lines.get(1).contains("4.85 calls/s (97% of 5)")
            && lines.get(1).contains("expected 41 s"),
        lines.get(1));
    assertEquals("3 h 25 min", FetchPlan.duration(12_345));
    assertEquals("2 min 05 s", FetchPlan.duration(125));
  }
}
