package io.ivsanalytics.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import io.ivsanalytics.LakeTables;
import io.ivsanalytics.TestSpark;
import io.ivsanalytics.cli.Main;
import io.ivsanalytics.config.Settings;
import io.ivsanalytics.lake.MotoServer;
import io.ivsanalytics.model.Schemas.Table;
import io.ivsanalytics.simulator.Fleet;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster jar of this build's Spark line on a real standalone cluster: a Master and two Workers
 * (two cores each) in their own JVMs on loopback, the jar submitted through SparkSubmit in client
 * mode with {@code run} against the IVS simulator at the real quota, with its ids file and lake on
 * S3 (a real S3 API server, moto_server, through s3a with {@code spark.hadoop.fs.s3a.*} settings
 * and the hadoop-aws jars passed as {@code spark.jars}, as on a stock Spark). The fetch plans for
 * the task slots of the executors that registered (2 x 2), the tables equal those of a local-mode
 * run of the same ids and window, and the simulator throttled nothing.
 */
class ClusterRunIT {
  static final Instant ANCHOR = Instant.parse("2024-05-06T12:00:00Z");
  static final LocalDate FROM = LocalDate.parse("2024-05-02");
  static final LocalDate TO = LocalDate.parse("2024-05-07");
  static final String UNKNOWN =
      "arn:aws:ivs:us-west-2:111122223333:channel/doesNotExist9,st-0000000000000000000000z";
  static final int WORKERS = 2;
  static final int CORES_PER_WORKER = 2;

  /** Few shuffle partitions for a few dozen sessions, in both runs. */
  static final String SHUFFLE_PARTITIONS = "2";

  static final String BUCKET = "cluster-bucket";

  @TempDir Path dir;

  static SimulatorConfig config() {
    return SimulatorConfig.builder()
        .seed(9)
        .accounts("111122223333")
        .regions("us-west-2", "eu-west-1")
        .channelsPerAccountRegion(3)
        .days(4)
        .sessionsPerChannelPerDay(2)
        .anchor(ANCHOR)
        .tps(5)
        .build();
  }

  @Test
  void runOnStandaloneClusterEqualsLocalMode() throws Exception {
    SparkLine line = SparkLine.built();
    Path jar = line.requireJar();
    Path ids = dir.resolve("ids.csv");
    int sessions;

    // Local mode, in this JVM, against its own simulator (same seed, same fleet).
    Path localLake = dir.resolve("local-lake");
    try (IvsSimulator sim = IvsSimulator.start(config())) {
      sessions = writeIds(sim, ids);
      int exit =
          localRun(
              "run",
              "--ids",
              ids.toString(),
              "--lake",
              localLake.toString(),
              "--out",
              dir.resolve("local-reports").toString(),
              "--endpoint",
              sim.endpoint().toString(),
              "--from",
              FROM.toString(),
              "--to",
              TO.toString());
      assertEquals(0, exit, "local-mode run");
    }

    String clusterLake = "s3a://" + BUCKET + "/cluster-lake";
    String clusterIds = "s3a://" + BUCKET + "/conf/ids.csv";
    Path driverLog = dir.resolve("driver.log");
    Path home = line.sparkHome();
    Map<String, String> s3a;
    // The cluster run's simulator has a JVM of its own, as IVS is a service of its own: its quota
    // decisions are then taken on arrival, not after a pause of this JVM's heap.
    try (MotoServer moto = MotoServer.start();
        SimulatorJvm sim = SimulatorJvm.start(ClusterRunIT.class.getName() + "#config");
        StandaloneCluster cluster =
            StandaloneCluster.start(
                line, home, dir.resolve("cluster"), WORKERS, CORES_PER_WORKER, "1g")) {
      s3a = moto.sparkS3aSettings();
      AmazonS3 s3 =
          AmazonS3ClientBuilder.standard()
              .withEndpointConfiguration(
                  new AwsClientBuilder.EndpointConfiguration(moto.endpoint(), "us-east-1"))
              .withPathStyleAccessEnabled(true)
              .withCredentials(
                  new AWSStaticCredentialsProvider(
                      new BasicAWSCredentials(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
              .build();
      s3.createBucket(BUCKET);
      s3.putObject(BUCKET, "conf/ids.csv", Files.readString(ids, StandardCharsets.UTF_8));
      s3.shutdown();
      JsonNode state = cluster.masterState();
      assertEquals(WORKERS, state.path("aliveworkers").asInt(), state.toString());
      assertEquals(WORKERS * CORES_PER_WORKER, state.path("cores").asInt(), state.toString());

      // Heartbeats and progress lines every second, so this short fetch shows progress on its way.
      // Stock Spark has no s3a: the hadoop-aws jars of its Hadoop line go with the job.
      List<String> conf =
          new ArrayList<>(
              List.of(
                  "spark.executor.memory=512m",
                  "spark.cores.max=" + WORKERS * CORES_PER_WORKER,
                  "spark.sql.shuffle.partitions=" + SHUFFLE_PARTITIONS,
                  "spark.executor.heartbeatInterval=1s",
                  "spark.jars="
                      + jarOf("org.apache.hadoop.fs.s3a.S3AFileSystem")
                      + ","
                      + jarOf("com.amazonaws.services.s3.AmazonS3")));
      s3a.forEach((k, v) -> conf.add(k + "=" + v));
      ProcessBuilder submit =
          line.submit(
              home,
              cluster.masterUrl(),
              jar,
              conf,
              List.of(
                  "run",
                  "--ids",
                  clusterIds,
                  "--lake",
                  clusterLake,
                  "--out",
                  dir.resolve("cluster-reports").toString(),
                  "--endpoint",
                  sim.endpoint().toString(),
                  "--from",
                  FROM.toString(),
                  "--to",
                  TO.toString()));
      submit.environment().put(Settings.envName("fetch.progress.interval.seconds"), "1");
      Process driver = submit.redirectErrorStream(true).redirectOutput(driverLog.toFile()).start();
      try {
        boolean done = driver.waitFor(20, TimeUnit.MINUTES);
        String out = Files.readString(driverLog, StandardCharsets.UTF_8);
        assertTrue(done, "the run did not end within 20 minutes\n" + out + cluster.logTails());
        assertEquals(0, driver.exitValue(), "cluster run exit code\n" + out + cluster.logTails());
      } finally {
        driver.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      String out = Files.readString(driverLog, StandardCharsets.UTF_8);
      assertTrue(
          out.contains("requested") && out.contains("calls:"),
          "no fetch summary in the driver output\n" + out);

      // The fetch waited for the executors and planned for the slots they brought (2 x 2 cores).
      Matcher slots =
          Pattern.compile("executors: (\\d+) registered after [^\\n]*, (\\d+) task slots")
              .matcher(out);
      assertTrue(slots.find(), "no executor report in the driver output\n" + out);
      assertEquals(WORKERS, Integer.parseInt(slots.group(1)), slots.group());
      assertEquals(WORKERS * CORES_PER_WORKER, Integer.parseInt(slots.group(2)), slots.group());

      // Not one call was throttled: the per-task budgets stayed under 5 TPS per account/region.
      String stats = sim.stats();
      assertEquals(0, SimulatorJvm.count(stats, "GetStreamSession", "throttled"), stats);
      assertEquals(sessions + 1, SimulatorJvm.count(stats, "GetStreamSession", "requests"), stats);

      // Progress crossed from the executors' running tasks to the driver with their heartbeats: a
      // line shows ids done while the fetch was under way (the tasks end only when it is over).
      Matcher progress =
          Pattern.compile("progress GetStreamSession: (\\d+)/(\\d+) ids").matcher(out);
      boolean midway = false;
      while (progress.find()) {
        long done = Long.parseLong(progress.group(1));
        midway |= done > 0 && done < Long.parseLong(progress.group(2));
      }
      assertTrue(midway, "no progress line while the fetch was under way\n" + out);

      // The tasks ran in executors launched by both Workers, not in the driver.
      for (Path work : cluster.workDirs()) {
        try (Stream<Path> apps = Files.list(work)) {
          assertTrue(
              apps.anyMatch(p -> p.getFileName().toString().startsWith("app-")),
              "no executor ran on " + work + "\n" + out + cluster.logTails());
        }
      }
      List<ProcessHandle> started = cluster.running();
      cluster.close();
      for (ProcessHandle h : started) {
        assertTrue(
            h.onExit().get(30, TimeUnit.SECONDS) != null && !h.isAlive(),
            "still running: " + h.pid());
      }
      assertTrue(cluster.running().isEmpty(), "cluster JVMs left running: " + cluster.running());

      SparkSession spark = TestSpark.session();
      Map<Table, List<String>> local = tables(spark, localLake.toString());
      org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      s3a.forEach((k, v) -> hadoop.set(k.substring("spark.hadoop.".length()), v));
      Map<Table, List<String>> onCluster = tables(spark, clusterLake);
      assertEquals(sessions, local.get(Table.SESSIONS).size());
      assertEquals(1, local.get(Table.FETCH_ERRORS).size());
      LakeTables.assertSame(local, onCluster, "tables of the cluster run differ from local mode");
      // The report step ran on the cluster too, reading the s3a lake from the executors.
      List<Path> reports;
      try (Stream<Path> files = Files.list(dir.resolve("local-reports"))) {
        reports = files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
      }
      assertTrue(reports.size() >= 10, "local mode wrote its reports: " + reports);
      for (Path csv : reports) {
        assertEquals(
            Files.readString(csv, StandardCharsets.UTF_8),
            Files.readString(
                dir.resolve("cluster-reports").resolve(csv.getFileName()), StandardCharsets.UTF_8),
            csv.getFileName() + " of the cluster run differs from local mode's");
      }
      org.apache.hadoop.fs.Path raw = new org.apache.hadoop.fs.Path(clusterLake + "/raw");
      assertTrue(
          raw.getFileSystem(hadoop).exists(raw), "the executors wrote no raw archive to " + raw);
      try (Stream<Path> files = Files.list(dir)) {
        assertTrue(
            files.noneMatch(p -> p.getFileName().toString().startsWith("s3a")),
            "an s3a:// path was written as a local folder");
      }
      try (Stream<Path> files = Files.list(SparkLine.BASEDIR)) {
        assertTrue(
            files.noneMatch(p -> p.getFileName().toString().startsWith("s3a")),
            "an s3a:// path was written as a local folder in the driver's directory");
      }
    }
  }

  /**
   * The jar a class was loaded from (this test's own classpath, from the local Maven repository).
   */
  static String jarOf(String className) throws ClassNotFoundException, java.net.URISyntaxException {
    return Path.of(
            Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
  }

  /** {@code ivs-analytics ARGS} in this JVM, local[*], as the launcher runs it. */
  static int localRun(String... args) {
    String key = "spark.sql.shuffle.partitions";
    String before = System.getProperty(key);
    System.setProperty(key, SHUFFLE_PARTITIONS); // what spark-submit --conf does
    try {
      return Main.execute(args);
    } finally {
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
    }
  }

  static int writeIds(IvsSimulator sim, Path ids) throws IOException {
    List<String> lines = new ArrayList<>(List.of("channel_arn,stream_id"));
    for (Fleet.Channel c : sim.fleet().channels()) {
      for (Fleet.Session s : c.sessions()) {
        lines.add(c.arn() + "," + s.streamId());
      }
    }
    int n = lines.size() - 1;
    lines.add(UNKNOWN);
    Files.write(ids, lines, StandardCharsets.UTF_8);
    return n;
  }

  /** Every table without fetched_at (and the request id in an error message), as sorted rows. */
  static Map<Table, List<String>> tables(SparkSession spark, String lake) {
    Map<Table, List<String>> t = new EnumMap<>(Table.class);
    for (Table table : Table.values()) {
      t.put(
          table,
          table == Table.FETCH_ERRORS
              ? LakeTables.rows(spark, lake, table, "fetched_at", "message")
              : LakeTables.rows(spark, lake, table, "fetched_at"));
    }
    return t;
  }
}
