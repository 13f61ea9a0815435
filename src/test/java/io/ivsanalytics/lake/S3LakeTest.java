package io.ivsanalytics.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.model.ListObjectsV2Request;
import com.amazonaws.services.s3.model.ListObjectsV2Result;
import com.amazonaws.services.s3.model.S3ObjectSummary;
import io.ivsanalytics.ChildJvm;
import io.ivsanalytics.config.UsageException;
import io.ivsanalytics.ingest.FetchId;
import io.ivsanalytics.ingest.IdsFile;
import io.ivsanalytics.model.Schemas.Table;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import io.ivsanalytics.testing.WithS3;
import io.ivsanalytics.testing.WithSimulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake on S3: a real S3 API server (moto_server on loopback) reached through Hadoop's s3a,
 * configured only with {@code spark.hadoop.fs.s3a.*} settings.
 */
@WithS3(bucket = S3LakeTest.BUCKET)
@WithSimulator
class S3LakeTest {
  static final String BUCKET = "bucket";
  static final String MISSING_CHANNEL =
      "arn:aws:ivs:us-west-2:123456789012:channel/DeletedChannel0";

  static MotoServer moto;
  static AmazonS3 s3;
  static IvsSimulator sim;

  @TempDir Path dir;

  static SimulatorConfig simulatorConfig() {
    return SimulatorConfig.builder()
        .seed(7)
        .accounts("123456789012")
        .regions("us-west-2")
        .channelsPerAccountRegion(2)
        .days(4)
        .sessionsPerChannelPerDay(2)
        .anchor(Instant.parse("2024-05-06T12:00:00Z"))
        .tps(50)
        .build();
  }

  /** A plain Hadoop configuration with the same s3a settings, for the in-process checks. */
  static Configuration s3aConf() {
    Configuration c = new Configuration();
    moto.sparkS3aSettings().forEach((k, v) -> c.set(k.substring("spark.hadoop.".length()), v));
    return c;
  }

  static List<String> keys(String prefix) {
    List<String> out = new ArrayList<>();
    ListObjectsV2Request req = new ListObjectsV2Request().withBucketName(BUCKET).withPrefix(prefix);
    ListObjectsV2Result r;
    do {
      r = s3.listObjectsV2(req);
      for (S3ObjectSummary o : r.getObjectSummaries()) {
        out.add(o.getKey());
      }
      req.setContinuationToken(r.getNextContinuationToken());
    } while (r.isTruncated());
    return out;
  }

  /** A staging or temporary object: a hidden or underscore path segment (other than _SUCCESS). */
  static boolean leftover(String key) {
    for (String segment : key.split("/")) {
      if ((segment.startsWith(".") || segment.startsWith("_")) && !segment.equals("_SUCCESS")) {
        return true;
      }
      if (segment.contains("staging")
          || segment.endsWith(".tmp")
          || segment.contains("_temporary")) {
        return true;
      }
    }
    return false;
  }

  @Test
  void writeFileIsOnePutAndTheProbeLeavesNothing() throws IOException {
    LakeFs fs = new LakeFs(s3aConf());
    String lake = "s3a://" + BUCKET + "/unit";
    fs.probeWritable(lake);
    // s3a keeps the emptied root as a directory marker, as the probe keeps a local root folder.
    assertEquals(
        List.of(),
        keys("unit/").stream().filter(k -> !k.equals("unit/")).toList(),
        "the probe object is deleted");

    FileSystem s3a = fs.fileSystem(lake);
    try {
      long puts = stat(s3a, "object_put_request");
      long renames = stat(s3a, "op_rename");
      long copies = stat(s3a, "object_copy_requests");
      fs.writeFile(
          lake + "/raw/dt=2024-05-01", "a.jsonl.gz", "one".getBytes(StandardCharsets.UTF_8));
      assertEquals(1, stat(s3a, "object_put_request") - puts, "one PUT: " + counters(s3a));
      assertEquals(0, stat(s3a, "op_rename") - renames, "no rename");
      assertEquals(0, stat(s3a, "object_copy_requests") - copies, "no copy");
      fs.writeFile(
          lake + "/raw/dt=2024-05-01", "a.jsonl.gz", "two".getBytes(StandardCharsets.UTF_8));
      assertEquals(
          "two",
          new String(fs.readAll(lake + "/raw/dt=2024-05-01/a.jsonl.gz"), StandardCharsets.UTF_8));
      assertEquals(List.of("unit/raw/dt=2024-05-01/a.jsonl.gz"), keys("unit/"));
      assertEquals(List.of("dt=2024-05-01"), fs.listNames(lake + "/raw"));
      assertTrue(fs.isDirectory(lake + "/raw"));
      assertTrue(fs.delete(lake + "/raw"));
      assertEquals(List.of(), keys("unit/raw"));

      LakeFs.NotWritableException e =
          assertThrows(
              LakeFs.NotWritableException.class,
              () -> fs.probeWritable("s3a://no-such-bucket/lake"));
      assertTrue(
          e.getMessage().startsWith("lake s3a://no-such-bucket/lake is not writable: "),
          e.getMessage());
      assertTrue(e.getMessage().contains("no-such-bucket"), e.getMessage());
    } finally {
      s3a.close();
    }
  }

  /**
   * The file system instance's own counters (its IOStatistics; storage statistics are JVM-wide).
   */
  private static java.util.Map<String, Long> counters(FileSystem fs) {
    return ((org.apache.hadoop.fs.statistics.IOStatisticsSource) fs).getIOStatistics().counters();
  }

  private static long stat(FileSystem fs, String key) {
    Long v = counters(fs).get(key);
    if (v == null) {
      throw new AssertionError("no counter " + key + " in " + counters(fs).keySet());
    }
    return v;
  }

  @Test
  void idsFileOnS3NamesTheFileLineAndValue() throws IOException {
    s3.putObject(
        BUCKET,
        "conf/ids-ok.csv",
        "\uFEFFchannel_arn,stream_id\r\n" + MISSING_CHANNEL + ",st-Abc1\r\n");
    s3.putObject(BUCKET, "conf/ids-bad.txt", "# ids\n" + MISSING_CHANNEL + "\nnot-an-arn\n");
    LakeFs fs = new LakeFs(s3aConf());
    try {
      IdsFile.Parsed ok = IdsFile.read(fs, "s3a://" + BUCKET + "/conf/ids-ok.csv");
      assertEquals(List.of(new FetchId(MISSING_CHANNEL, "st-Abc1")), ok.ids());

      String bad = "s3a://" + BUCKET + "/conf/ids-bad.txt";
      UsageException e = assertThrows(UsageException.class, () -> IdsFile.read(fs, bad));
      assertTrue(e.getMessage().startsWith("ids file " + bad + " line 3: "), e.getMessage());
      assertTrue(e.getMessage().contains("'not-an-arn'"), e.getMessage());

      String missing = "s3a://" + BUCKET + "/conf/nope.csv";
      UsageException m = assertThrows(UsageException.class, () -> IdsFile.read(fs, missing));
      assertEquals("ids file not found: " + missing, m.getMessage());
    } finally {
      fs.fileSystem("s3a://" + BUCKET + "/").close();
    }
  }

  @Test
  void fetchFlattenAndReportOnS3EqualALocalLakeAndLeaveNoTemporaryObjects() throws Exception {
    List<String> idLines = new ArrayList<>();
    sim.fleet().channels().forEach(c -> idLines.add(c.arn()));
    idLines.add(MISSING_CHANNEL);
    Path ids = Files.write(dir.resolve("ids.txt"), idLines, StandardCharsets.UTF_8);
    s3.putObject(BUCKET, "conf/ids.txt", String.join("\n", idLines) + "\n");

    Path cwd = Files.createDirectories(dir.resolve("cwd"));
    assertFalse(Files.exists(cwd.resolve("conf")), "runs from a directory without conf/");
    Path localOut = dir.resolve("out-local");
    Path s3Out = dir.resolve("out-s3");
    String s3Lake = "s3a://" + BUCKET + "/lake";
    Path localLake = dir.resolve("local-lake");
    // The commands get the lake from the settings file, so a lake on S3 proves the file was read
    // there.
    Path conf =
        Files.writeString(
            dir.resolve("ivs-analytics.properties"),
            "lake = " + localLake + "\nquota.tps = 50\n",
            StandardCharsets.UTF_8);
    s3.putObject(
        BUCKET,
        "conf/ivs-analytics.properties",
        "# read from S3\nlake = " + s3Lake + "\nquota.tps = 50\n");

    List<String> jvm = new ArrayList<>();
    jvm.add("-Dspark.master=local[2]");
    jvm.add("-Dspark.ui.enabled=false");
    jvm.add("-Dspark.sql.shuffle.partitions=2");
    moto.sparkS3aSettings().forEach((k, v) -> jvm.add("-D" + k + "=" + v));
    ProcessBuilder pb =
        ChildJvm.of(
            jvm,
            S3LakeChild.class.getName(),
            List.of(
                sim.endpoint().toString(),
                "2024-05-02",
                "2024-05-05",
                "2024-05-08",
                localLake + "|" + ids + "|" + localOut + "|" + conf,
                s3Lake
                    + "|s3a://"
                    + BUCKET
                    + "/conf/ids.txt|"
                    + s3Out
                    + "|s3a://"
                    + BUCKET
                    + "/conf/ivs-analytics.properties"));
    Path log = Files.createDirectories(Path.of("target")).resolve("s3-lake-child.log");
    Process p =
        pb.directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        throw new AssertionError("the commands did not finish within 10 minutes\n" + tail(log));
      }
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertEquals(0, p.exitValue(), tail(log));

    Map<String, List<String>> local = tables(localOut);
    Map<String, List<String>> onS3 = tables(s3Out);
    assertTrue(local.get("sessions").size() >= 8, "sessions: " + local.get("sessions").size());
    assertFalse(local.get("tracks").isEmpty());
    assertTrue(
        local.get("fetch_errors").stream().anyMatch(r -> r.contains(MISSING_CHANNEL)),
        local.get("fetch_errors").toString());
    io.ivsanalytics.LakeTables.assertSame(
        local, onS3, "tables of the s3a lake differ from the local lake's");
    for (Map.Entry<String, List<String>> t : onS3.entrySet()) {
      assertEquals(
          0,
          io.ivsanalytics.LakeTables.duplicates(t.getValue()),
          "duplicate rows in " + t.getKey());
    }
    Map<String, String> localReport = csvs(localOut.resolve("report"));
    assertTrue(localReport.containsKey("bitrate_conformance.csv"), localReport.keySet().toString());
    assertEquals(localReport, csvs(s3Out.resolve("report")), "report CSVs differ");

    List<String> objects = keys("lake/");
    for (Table t : Table.values()) {
      assertTrue(
          objects.stream().anyMatch(k -> k.startsWith("lake/" + t.dirName() + "/dt=")),
          t + " in " + objects);
    }
    assertTrue(objects.stream().anyMatch(k -> k.startsWith("lake/raw/dt=")), "raw archive on S3");
    List<String> left = objects.stream().filter(S3LakeTest::leftover).toList();
    assertEquals(List.of(), left, "staging or temporary objects left in the bucket");
  }

  static Map<String, List<String>> tables(Path out) throws IOException {
    Map<String, List<String>> m = new TreeMap<>();
    for (Table t : Table.values()) {
      m.put(
          t.dirName(),
          Files.readAllLines(
              out.resolve("tables").resolve(t.dirName() + ".txt"), StandardCharsets.UTF_8));
    }
    return m;
  }

  static Map<String, String> csvs(Path reportDir) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.list(reportDir)) {
      for (Path f : s.filter(f -> f.getFileName().toString().endsWith(".csv")).toList()) {
        m.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    return m;
  }

  static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
  }
}
