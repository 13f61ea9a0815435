package io.ivsanalytics.lake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.TestSpark;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeFsTest {
  @TempDir Path dir;

  final LakeFs fs = new LakeFs(new Configuration());

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  List<String> allFiles() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void writeFileCreatesTheDirectoryReplacesTheFileAndLeavesNoTemporaryName() throws IOException {
    String d = dir.resolve("raw/dt=2024-05-01").toString();
    fs.writeFile(d, "a.jsonl.gz", utf8("first"));
    fs.writeFile(d, "a.jsonl.gz", utf8("second, longer"));
    fs.writeFile("file:" + d, "b.jsonl.gz", utf8("b"));
    assertEquals("second, longer", Files.readString(dir.resolve("raw/dt=2024-05-01/a.jsonl.gz")));
    assertArrayEquals(utf8("b"), fs.readAll(d + "/b.jsonl.gz"));
    assertEquals(
        List.of("raw/dt=2024-05-01/a.jsonl.gz", "raw/dt=2024-05-01/b.jsonl.gz"),
        allFiles(),
        "no hidden temporary or checksum files");
  }

  @Test
  void existsListDeleteAndRename() throws IOException {
    String root = dir.toString();
    String t = root + "/tracks";
    assertFalse(fs.exists(t));
    assertFalse(fs.isDirectory(t));
    assertEquals(List.of(), fs.listNames(t), "a missing directory lists as empty");
    assertFalse(fs.deleteIfEmpty(t));
    fs.mkdirs(t + "/dt=2024-05-02");
    fs.mkdirs(t + "/dt=2024-05-01");
    assertTrue(fs.isDirectory(t));
    assertEquals(List.of("dt=2024-05-01", "dt=2024-05-02"), fs.listNames(t), "sorted by name");
    assertTrue(fs.list(t).get(0).isDirectory());
    fs.writeFile(t + "/dt=2024-05-01", "part-0.parquet", utf8("x"));
    assertTrue(fs.exists(t + "/dt=2024-05-01/part-0.parquet"));
    assertFalse(fs.isDirectory(t + "/dt=2024-05-01/part-0.parquet"));

    assertFalse(fs.deleteIfEmpty(t + "/dt=2024-05-01"), "holds a file");
    assertTrue(fs.deleteIfEmpty(t + "/dt=2024-05-02"));
    assertEquals(List.of("dt=2024-05-01"), fs.listNames(t));

    fs.rename(t + "/dt=2024-05-01", t + "/dt=2024-05-03");
    assertEquals(List.of("dt=2024-05-03"), fs.listNames(t));
    try (var in = fs.open(t + "/dt=2024-05-03/part-0.parquet")) {
      assertEquals("x", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    IOException e = assertThrows(IOException.class, () -> fs.rename(t + "/missing", t + "/other"));
    assertTrue(e.getMessage().contains(t + "/missing"), e.getMessage());

    assertTrue(fs.delete(t));
    assertFalse(fs.exists(t));
    assertFalse(fs.delete(t), "nothing left to delete");
  }

  @Test
  void objectStoresAreKnownByScheme() throws IOException {
    for (String p :
        List.of(
            "s3a://bucket/lake",
            "s3://b/l",
            "gs://b/l",
            "abfss://c@acct.dfs.core.windows.net/l",
            "wasbs://c@acct.blob.core.windows.net/l")) {
      assertTrue(fs.isObjectStore(p), p);
    }
    assertFalse(fs.isObjectStore(dir.toString()));
    assertFalse(fs.isObjectStore("file:" + dir));
    assertFalse(fs.isObjectStore("hdfs://namenode:8020/lake"));
  }

  @Test
  void normalizeRootMakesLocalPathsAbsoluteAndTrimsUris() throws IOException {
    assertEquals(Path.of("lake").toAbsolutePath().toString(), fs.normalizeRoot("lake/"));
    assertEquals(dir.toString(), fs.normalizeRoot("file:" + dir + "/"));
    assertEquals(dir.toString(), fs.normalizeRoot(dir + "/./"));
    assertEquals("s3a://bucket/lake", fs.normalizeRoot("s3a://bucket/lake//"));
    assertEquals("hdfs://nn:8020/lake", fs.normalizeRoot("hdfs://nn:8020/lake"));
  }

  @Test
  void probeCreatesTheRootAndLeavesNothingOrNamesTheLakeAndTheCause() throws IOException {
    String lake = dir.resolve("new/lake").toString();
    fs.probeWritable(lake);
    assertTrue(Files.isDirectory(Path.of(lake)));
    assertEquals(List.of(), allFiles(), "the probe file is deleted");

    Path file = Files.writeString(dir.resolve("a-file"), "x");
    LakeFs.NotWritableException notDir =
        assertThrows(LakeFs.NotWritableException.class, () -> fs.probeWritable(file.toString()));
    assertEquals("lake " + file + " is not a directory", notDir.getMessage());

    String under = file.resolve("lake").toString();
    LakeFs.NotWritableException e =
        assertThrows(LakeFs.NotWritableException.class, () -> fs.probeWritable(under));
    assertTrue(e.getMessage().startsWith("lake " + under + " is not writable: "), e.getMessage());
    assertTrue(
        e.getMessage().length() > ("lake " + under + " is not writable: ").length(),
        "names the cause");
  }

  @Test
  void survivesJavaSerializationWithItsConfiguration() throws Exception {
    Configuration c = new Configuration(false);
    c.set("ivs.lakefs.marker", "inline");
    LakeFs copy = roundTrip(new LakeFs(c));
    assertEquals("inline", copy.conf().get("ivs.lakefs.marker"));
    copy.writeFile(dir.toString(), "f", utf8("ok"));
    assertArrayEquals(utf8("ok"), Files.readAllBytes(dir.resolve("f")));
  }

  @Test
  void executorsSeeSparksHadoopConfigurationThroughTheBroadcast() throws Exception {
    SparkSession spark = TestSpark.session();
    spark.sparkContext().hadoopConfiguration().set("ivs.lakefs.marker", "from-spark");
    LakeFs shipped;
    try {
      shipped = LakeFs.of(spark);
    } finally {
      spark.sparkContext().hadoopConfiguration().unset("ivs.lakefs.marker");
    }
    String out = dir.toString();
    List<String> seen =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(List.of(0, 1), 2)
            .map(
                i -> {
                  shipped.writeFile(out + "/dt=x", "task-" + i, utf8("t" + i));
                  return shipped.conf().get("ivs.lakefs.marker");
                })
            .collect();
    assertEquals(List.of("from-spark", "from-spark"), seen);
    assertEquals(List.of("dt=x/task-0", "dt=x/task-1"), allFiles());
    assertEquals("from-spark", roundTrip(shipped).conf().get("ivs.lakefs.marker"));
  }

  static LakeFs roundTrip(LakeFs fs) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(fs);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (LakeFs) in.readObject();
    }
  }
}
