package io.ivsanalytics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.lake.LakeFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More task slots than the plan was made for (executors that register during the fetch, dynamic
 * allocation): a task calls only after the task it follows on its slot has ended, so no more tasks
 * call at once than the rates were planned for.
 */
class TaskChainTest {
  @TempDir Path dir;

  @Test
  void everyTaskFollowsAnEarlierOneAndNoMoreThanThePlannedTasksCallAtOnce() {
    Map<String, Integer> uneven =
        Map.of(
            "111122223333/us-west-2",
            187,
            "111122223333/eu-west-1",
            160,
            "444455556666/us-west-2",
            130,
            "444455556666/eu-west-1",
            3);
    for (int slots : new int[] {1, 2, 3, 4}) {
      for (Integer partitions : new Integer[] {null, 2, 5, 8, 13}) {
        FetchPlan plan =
            FetchPlan.of(FetchPlanTest.ids(uneven), slots, partitions, FetchPlanTest.QS, 5);
        int[] pred = plan.predecessors();
        String what = "slots " + slots + ", partitions " + partitions;
        boolean[] followed = new boolean[pred.length];
        for (int t = 0; t < pred.length; t++) {
          assertEquals(t < plan.concurrent(), pred[t] < 0, what + ": task " + t);
          if (pred[t] >= 0) {
            assertTrue(pred[t] < t, what);
            assertTrue(!followed[pred[t]], what + ": two tasks follow task " + pred[t]);
            followed[pred[t]] = true;
          }
        }
        // Three times the slots the plan was made for, tasks started in index order as Spark does:
        // the tasks calling at once never exceed the plan's.
        assertEquals(plan.concurrent(), mostAtOnce(plan, pred, 3 * slots), what);
      }
    }
  }

  /** Greedy scheduling on {@code actualSlots}; a task calls from when its predecessor has ended. */
  static int mostAtOnce(FetchPlan plan, int[] pred, int actualSlots) {
    PriorityQueue<Double> free = new PriorityQueue<>();
    for (int s = 0; s < actualSlots; s++) {
      free.add(0.0);
    }
    double[] end = new double[pred.length];
    List<double[]> calling = new ArrayList<>();
    for (int t = 0; t < pred.length; t++) {
      double launched = free.poll();
      double start = pred[t] < 0 ? launched : Math.max(launched, end[pred[t]]);
      double seconds = 0;
      Map<String, Integer> n = new HashMap<>();
      for (String[] id : plan.slices().get(t)) {
        n.merge(new FetchId(id[0], id[1]).accountRegion(), 1, Integer::sum);
      }
      for (Map.Entry<String, Integer> e : n.entrySet()) {
        seconds = Math.max(seconds, e.getValue() / plan.groups().get(e.getKey()).ratePerLane());
      }
      end[t] = start + Math.max(seconds, 1e-6);
      free.add(end[t]);
      calling.add(new double[] {start, end[t]});
    }
    int most = 0;
    for (double[] a : calling) {
      int at = 0;
      for (double[] b : calling) {
        at += b[0] <= a[0] && a[0] < b[1] ? 1 : 0;
      }
      most = Math.max(most, at);
    }
    return most;
  }

  @Test
  void aTaskStartsCallingOnlyAfterTheTaskItFollowsHasEnded() throws Exception {
    String group = "111122223333/us-west-2";
    String arn = "arn:aws:ivs:us-west-2:111122223333:channel/Ch00000001";
    String markers = dir.resolve("lake/_fetch_tasks/run-1").toString();
    HashMap<String, Double> rates = new HashMap<>(Map.of(group, 100.0));
    HashMap<String, Integer> first = new HashMap<>(Map.of(group, 0));
    WorkerConfig cfg =
        new WorkerConfig(
            new ClientSettings("http://127.0.0.1:9", 1000, 2000, 4),
            rates,
            first,
            2,
            new Backoff(10, 100),
            1,
            2000,
            new LakeFs(new Configuration()),
            dir.resolve("lake").toString(),
            "run-1",
            100,
            1000,
            0,
            0,
            100,
            1,
            null,
            new int[] {-1, 0},
            markers,
            -1);
    Map<Integer, long[]> calls = new ConcurrentHashMap<>();
    AccountRegionWorkers.Body body =
        (g, region, ids, caller, out) -> {
          int partition = Integer.parseInt(ids.get(0)[1]);
          long started = System.nanoTime();
          Thread.sleep(400);
          calls.put(partition, new long[] {started, System.nanoTime()});
        };
    ExecutorService tasks = Executors.newFixedThreadPool(2);
    try {
      // The second task starts first, on a slot the plan did not count on.
      Future<?> second = tasks.submit(() -> drain(cfg, 1, arn, body));
      Thread.sleep(300);
      Future<?> firstTask = tasks.submit(() -> drain(cfg, 0, arn, body));
      firstTask.get();
      second.get();
    } finally {
      tasks.shutdownNow();
    }
    assertTrue(calls.get(1)[0] >= calls.get(0)[1], "task 1 called before task 0 had ended");
    assertTrue(
        Files.exists(Path.of(markers, "task-0")) && Files.exists(Path.of(markers, "task-1")));
  }

  @Test
  void onAClusterTheFirstWaveCountsItsStaggerFromTheDriversMomentWheneverATaskStarts() {
    String group = "111122223333/us-west-2";
    HashMap<String, Double> rates =
        new HashMap<>(Map.of(group, 2.0)); // 2 lanes at 2/s: 500 ms apart each
    HashMap<String, Integer> first = new HashMap<>(Map.of(group, 0));
    long now = System.currentTimeMillis();
    for (long lateBy : new long[] {-400, 700}) {
      long at = now - lateBy;
      WorkerConfig cfg = twoLanes(rates, first, at);
      for (int lane = 0; lane < 2; lane++) {
        long before = System.currentTimeMillis();
        long delay = cfg.startDelayNanos(group, lane, 0) / 1_000_000;
        // The lane's place: the shared moment + 250 ms per position, then every 500 ms.
        long due = before + delay - at - 250L * lane;
        assertTrue(
            delay >= 0 && delay < 500 + Math.max(0, -lateBy) + 250,
            "lateBy " + lateBy + ": " + delay);
        assertEquals(
            0,
            Math.floorMod(due + 10, 500) / 20,
            "lateBy " + lateBy + ", lane " + lane + ": off its place by " + due);
      }
    }
    WorkerConfig local = twoLanes(rates, first, -1);
    assertEquals(
        250_000_000L,
        local.startDelayNanos(group, 1, 0),
        "local mode: from the worker's own start");
  }

  /** Two first-wave tasks sharing one group's quota, the stagger counted from {@code at}. */
  private static WorkerConfig twoLanes(
      HashMap<String, Double> rates, HashMap<String, Integer> first, long at) {
    return new WorkerConfig(
        null,
        rates,
        first,
        2,
        new Backoff(10, 100),
        1,
        2000,
        null,
        "lake",
        "run-1",
        100,
        1000,
        0,
        0,
        4,
        2,
        null,
        new int[] {-1, -1},
        "markers",
        at);
  }

  private static Void drain(
      WorkerConfig cfg, int partition, String arn, AccountRegionWorkers.Body body)
      throws InterruptedException {
    ArrayList<String[]> slice = new ArrayList<>();
    slice.add(new String[] {arn, Integer.toString(partition)});
    AccountRegionWorkers.run(partition, List.of(slice).iterator(), cfg, "test", body)
        .forEachRemaining(r -> {});
    return null;
  }

  @Test
  void aLaterFetchRemovesTheMarkersOfAKilledRunOnceItIsADayOld(@TempDir Path lake)
      throws Exception {
    Path root = lake.resolve(FetchStage.TASK_MARKERS);
    String stale = "20261130T115959Z-a1b2c3-fetch-0";
    String fresh = "20261130T120001Z-d4e5f6-fetch-0";
    String other = "notes";
    for (String folder : List.of(stale, fresh, other)) {
      Files.createDirectories(root.resolve(folder));
      Files.writeString(root.resolve(folder).resolve("task-0"), "");
    }
    List<String> removed =
        FetchStage.removeStaleTaskMarkers(
            new LakeFs(new Configuration()),
            lake.toString(),
            java.time.Instant.parse("2026-12-01T12:00:00Z"));
    assertEquals(List.of(stale), removed);
    assertFalse(Files.exists(root.resolve(stale)));
    assertTrue(Files.exists(root.resolve(fresh).resolve("task-0")));
    assertTrue(Files.exists(root.resolve(other)));
    assertEquals(
        List.of(),
        FetchStage.removeStaleTaskMarkers(
            new LakeFs(new Configuration()),
            lake.resolve("no-lake-here").toString(),
            java.time.Instant.parse("2026-12-01T12:00:00Z")));
  }
}
