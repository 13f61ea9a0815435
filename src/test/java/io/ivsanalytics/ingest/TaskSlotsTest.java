package io.ivsanalytics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ivsanalytics.TestSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class TaskSlotsTest {
  @Test
  void localMasterGivesItsThreads() {
    assertEquals(1, TaskSlots.localSlots("local", 8));
    assertEquals(3, TaskSlots.localSlots("local[3]", 8));
    assertEquals(8, TaskSlots.localSlots("local[*]", 8));
    assertEquals(4, TaskSlots.localSlots("local[4, 2]", 8));
    assertNull(TaskSlots.localSlots("spark://127.0.0.1:7077", 8));
    assertNull(TaskSlots.localSlots("local-cluster[2,1,1024]", 8));
    List<String> lines = new ArrayList<>();
    assertEquals(2, TaskSlots.detect(TestSpark.session().sparkContext(), lines::add));
  }

  @Test
  void clusterSlotsAreExecutorsTimesTheirCoresPerTask() {
    SparkConf standalone = new SparkConf(false).set("spark.master", "spark://127.0.0.1:7077");
    assertNull(TaskSlots.expectedExecutors(standalone));
    assertEquals(
        6,
        TaskSlots.clusterSlots(3, standalone, 6),
        "total registered cores from the default parallelism");
    assertEquals(1, TaskSlots.clusterSlots(0, standalone, 2));
    SparkConf cores =
        standalone.clone().set("spark.executor.cores", "4").set("spark.cores.max", "8");
    assertEquals(2, TaskSlots.expectedExecutors(cores));
    assertEquals(8, TaskSlots.clusterSlots(2, cores, 99));
    assertEquals(4, TaskSlots.clusterSlots(2, cores.clone().set("spark.task.cpus", "2"), 99));
    SparkConf yarn =
        new SparkConf(false).set("spark.master", "yarn").set("spark.executor.instances", "5");
    assertEquals(5, TaskSlots.expectedExecutors(yarn));
    assertEquals(5, TaskSlots.clusterSlots(5, yarn, 10));
    SparkConf dynamic =
        yarn.clone()
            .set("spark.dynamicAllocation.enabled", "true")
            .set("spark.dynamicAllocation.minExecutors", "2");
    assertEquals(2, TaskSlots.expectedExecutors(dynamic));
    SparkConf localCluster = new SparkConf(false).set("spark.master", "local-cluster[2,3,1024]");
    assertEquals(2, TaskSlots.expectedExecutors(localCluster));
    assertEquals(6, TaskSlots.clusterSlots(2, localCluster, 6));
    SparkConf parallelismSet = standalone.clone().set("spark.default.parallelism", "100");
    assertEquals(
        3, TaskSlots.clusterSlots(3, parallelismSet, 100), "unknown cores: one slot per executor");
  }
}
