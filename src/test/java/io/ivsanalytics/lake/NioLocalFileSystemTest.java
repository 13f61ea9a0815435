package io.ivsanalytics.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.config.SparkSessions;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link NioLocalFileSystem} gives files and directories the modes Hadoop's local file system gives
 * them (the requested permission under the umask), checksum files included, and local mode names it
 * for {@code file:}.
 */
class NioLocalFileSystemTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @CsvSource({
    "0644,rw-r--r--",
    "0755,rwxr-xr-x",
    "0700,rwx------",
    "0000,---------",
    "0777,rwxrwxrwx",
    "0640,rw-r-----"
  })
  void modeBitsArePosixPermissions(String octal, String expected) {
    assertEquals(
        expected,
        PosixFilePermissions.toString(
            NioLocalFileSystem.permissions((short) Integer.parseInt(octal, 8))));
  }

  @Test
  void filesAndDirectoriesGetHadoopsModes() throws Exception {
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", NioLocalFileSystem.class.getName());
    conf.set("fs.permissions.umask-mode", "022");
    try (FileSystem fs = FileSystem.newInstance(URI.create("file:///"), conf)) {
      assertInstanceOf(NioLocalFileSystem.class, fs);
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(tmp.resolve("a/b").toUri());
      assertTrue(fs.mkdirs(dir, new FsPermission((short) 0750)));
      assertEquals("rwxr-x---", mode(tmp.resolve("a/b")));
      org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir, "part-0.parquet");
      try (OutputStream out = fs.create(file)) {
        out.write("rows".getBytes(StandardCharsets.UTF_8));
      }
      // the default file mode 0666 under the umask 022, for the file and its checksum file
      assertEquals("rw-r--r--", mode(tmp.resolve("a/b/part-0.parquet")));
      assertEquals("rw-r--r--", mode(tmp.resolve("a/b/.part-0.parquet.crc")));
      fs.setPermission(file, new FsPermission((short) 0600));
      assertEquals("rw-------", mode(tmp.resolve("a/b/part-0.parquet")));
      org.apache.hadoop.fs.Path moved = new org.apache.hadoop.fs.Path(dir, "moved.parquet");
      assertTrue(fs.rename(file, moved));
      assertEquals("rows", new String(fs.open(moved).readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void localModeNamesItForFileAndAClusterDoesNot() {
    String key = "spark.hadoop.fs.file.impl";
    assertEquals(
        NioLocalFileSystem.class.getName(),
        SparkSessions.apply(new SparkConf(false).setMaster("local[2]")).get(key));
    assertFalse(
        SparkSessions.apply(new SparkConf(false).setMaster("spark://127.0.0.1:7077"))
            .contains(key));
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
