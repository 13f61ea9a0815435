package io.ivsanalytics.lake;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.SerializableWritable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * All lake I/O, on any Hadoop file system (local disk, HDFS, {@code s3a://}, {@code gs://}, {@code
 * abfs://} ...), with Spark's Hadoop configuration, so the {@code spark.hadoop.fs.s3a.*} settings
 * (endpoint, path style, credentials) reach every call on the driver and the executors.
 *
 * <p>The instance is serializable: the configuration travels as one Spark broadcast (or, built from
 * a plain {@link Configuration}, inside the instance), and each JVM opens its file systems from it.
 * File systems themselves are never serialized.
 *
 * <p>Whole-file writes ({@link #writeFile}): on an object store, where a rename is a copy, the file
 * is one PUT straight to its final name (a PUT is atomic: readers see the old object or the new
 * one). Elsewhere the bytes go to a hidden temporary name in the same directory (ignored by Spark
 * readers) and are renamed over the final name.
 */
public final class LakeFs implements Serializable {
  private static final long serialVersionUID = 1L;

  /** URI schemes of object stores: no real directories, rename is copy + delete. */
  public static final Set<String> OBJECT_STORE_SCHEMES =
      Set.of(
          "s3a", "s3", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs", "oss", "cos", "cosn", "obs");

  private static final Pattern SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]+:");

  private final Broadcast<SerializableWritable<Configuration>> broadcast;
  private final SerializableWritable<Configuration> inline;
  private transient Configuration conf;

  /** From a plain Hadoop configuration (code without a SparkSession, tests). */
  public LakeFs(Configuration conf) {
    this.broadcast = null;
    this.inline = new SerializableWritable<>(conf);
    this.conf = conf;
  }

  private LakeFs(Configuration conf, Broadcast<SerializableWritable<Configuration>> broadcast) {
    this.broadcast = broadcast;
    this.inline = null;
    this.conf = conf;
  }

  /**
   * The lake file system of a Spark job: Spark's Hadoop configuration (which carries the {@code
   * spark.hadoop.*} settings), broadcast once for the executors.
   */
  public static LakeFs of(SparkSession spark) {
    Configuration c = new Configuration(spark.sparkContext().hadoopConfiguration());
    Broadcast<SerializableWritable<Configuration>> b =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .broadcast(new SerializableWritable<>(c));
    return new LakeFs(c, b);
  }

  /**
   * For driver-side I/O only: Spark's Hadoop configuration without a broadcast (still serializable,
   * carrying its configuration inline).
   */
  public static LakeFs onDriver(SparkSession spark) {
    return new LakeFs(new Configuration(spark.sparkContext().hadoopConfiguration()));
  }

  /**
   * Before the SparkSession exists (the conf and ids files of a command, checked first): the Hadoop
   * configuration Spark will build, i.e. Hadoop's own files on the classpath plus every {@code
   * spark.hadoop.*} setting this JVM was submitted with (spark-submit {@code --conf},
   * spark-defaults.conf, {@code -Dspark.hadoop.*}).
   */
  public static LakeFs submitted() {
    Configuration c = new Configuration();
    for (scala.Tuple2<String, String> kv : new SparkConf(true).getAll()) {
      if (kv._1().startsWith(SPARK_HADOOP)) {
        c.set(kv._1().substring(SPARK_HADOOP.length()), kv._2(), "spark.hadoop.* setting");
      }
    }
    return new LakeFs(c);
  }

  private static final String SPARK_HADOOP = "spark.hadoop.";

  /** The Hadoop configuration this instance uses (on the driver or an executor). */
  public Configuration conf() {
    Configuration c = conf;
    if (c == null) {
      c = broadcast != null ? broadcast.value().value() : inline.value();
      conf = c;
    }
    return c;
  }

  /** The file system of {@code path} (cached per JVM by Hadoop). */
  public FileSystem fileSystem(String path) throws IOException {
    return new Path(path).getFileSystem(conf());
  }

  /** True when {@code path} lives on an object store ({@link #OBJECT_STORE_SCHEMES}). */
  public boolean isObjectStore(String path) throws IOException {
    String scheme = schemeOf(path);
    if (scheme == null) {
      scheme = fileSystem(path).getUri().getScheme();
    }
    return scheme != null && OBJECT_STORE_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
  }

  public boolean exists(String path) throws IOException {
    Path p = new Path(path);
    return p.getFileSystem(conf()).exists(p);
  }

  public boolean isDirectory(String path) throws IOException {
    Path p = new Path(path);
    try {
      return p.getFileSystem(conf()).getFileStatus(p).isDirectory();
    } catch (FileNotFoundException e) {
      return false;
    }
  }

  /** The entries of a directory, sorted by name; empty when it does not exist. */
  public List<FileStatus> list(String dir) throws IOException {
    Path p = new Path(dir);
    FileStatus[] st;
    try {
      st = p.getFileSystem(conf()).listStatus(p);
    } catch (FileNotFoundException e) {
      return List.of();
    }
    List<FileStatus> out = new ArrayList<>(Arrays.asList(st));
    out.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    return out;
  }

  /** The names of a directory's entries, sorted; empty when it does not exist. */
  public List<String> listNames(String dir) throws IOException {
    List<String> names = new ArrayList<>();
    for (FileStatus s : list(dir)) {
      names.add(s.getPath().getName());
    }
    return names;
  }

  /**
   * The data files directly in a directory (not hidden, not markers such as {@code _SUCCESS}), as
   * full paths sorted by name; empty when it does not exist.
   */
  public List<String> dataFiles(String dir) throws IOException {
    List<String> out = new ArrayList<>();
    for (FileStatus st : list(dir)) {
      String name = st.getPath().getName();
      if (st.isFile() && !name.startsWith(".") && !name.startsWith("_")) {
        out.add(st.getPath().toString());
      }
    }
    return out;
  }

  public void mkdirs(String dir) throws IOException {
    Path p = new Path(dir);
    if (!p.getFileSystem(conf()).mkdirs(p)) {
      throw new IOException("cannot create directory " + dir);
    }
  }

  /** Deletes a file or a directory tree; false when nothing was there. */
  public boolean delete(String path) throws IOException {
    Path p = new Path(path);
    return p.getFileSystem(conf()).delete(p, true);
  }

  /** Deletes {@code dir} if it exists and holds nothing; true when it did. */
  public boolean deleteIfEmpty(String dir) throws IOException {
    Path p = new Path(dir);
    FileSystem fs = p.getFileSystem(conf());
    FileStatus[] st;
    try {
      st = fs.listStatus(p);
    } catch (FileNotFoundException e) {
      return false;
    }
    return st.length == 0 && fs.delete(p, false);
  }

  public InputStream open(String path) throws IOException {
    Path p = new Path(path);
    return p.getFileSystem(conf()).open(p);
  }

  public byte[] readAll(String path) throws IOException {
    try (InputStream in = open(path)) {
      return in.readAllBytes();
    }
  }

  /**
   * Writes {@code dir/name} whole, replacing an existing file: one PUT on an object store, a hidden
   * temporary file renamed into place elsewhere. A reader never sees a partial file.
   */
  public void writeFile(String dir, String name, byte[] bytes) throws IOException {
    Path d = new Path(dir);
    Path target = new Path(d, name);
    FileSystem fs = d.getFileSystem(conf());
    if (isObjectStore(fs, d)) {
      try (OutputStream out = fs.create(target, true)) {
        out.write(bytes);
      }
      return;
    }
    String tmpName = "." + name + ".tmp-" + UUID.randomUUID();
    if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
      java.nio.file.Path localDir = java.nio.file.Path.of(fs.makeQualified(d).toUri());
      Files.createDirectories(localDir);
      java.nio.file.Path tmp = localDir.resolve(tmpName);
      Files.write(tmp, bytes);
      try {
        Files.move(
            tmp,
            localDir.resolve(name),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, localDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return;
    }
    Path tmp = new Path(d, tmpName);
    try {
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(bytes);
      }
      FileContext.getFileContext(fs.getUri(), conf()).rename(tmp, target, Options.Rename.OVERWRITE);
    } finally {
      if (fs.exists(tmp)) {
        fs.delete(tmp, false);
      }
    }
  }

  /** Renames {@code from} to {@code to} (the target must not exist); fails when it cannot. */
  public void rename(String from, String to) throws IOException {
    Path f = new Path(from);
    Path t = new Path(to);
    if (!f.getFileSystem(conf()).rename(f, t)) {
      throw new IOException("cannot rename " + from + " to " + to);
    }
  }

  /**
   * The lake root as every JVM resolves it the same way: a path without a scheme on the local
   * default file system becomes absolute, one on another default file system (HDFS) is qualified
   * with it; a URI loses its trailing slashes.
   */
  public String normalizeRoot(String lake) throws IOException {
    String trimmed = lake.length() > 1 ? lake.replaceAll("/+$", "") : lake;
    if (schemeOf(trimmed) != null) {
      if (trimmed.startsWith("file:")) {
        return java.nio.file.Path.of(URI.create(trimmed)).toAbsolutePath().normalize().toString();
      }
      return trimmed;
    }
    FileSystem fs = fileSystem(trimmed);
    if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
      return java.nio.file.Path.of(trimmed).toAbsolutePath().normalize().toString();
    }
    return fs.makeQualified(new Path(trimmed)).toString();
  }

  /**
   * Proves the lake root can be written: creates it where directories are real, then writes and
   * deletes a small hidden probe file (an object on S3). The exception names the lake and the
   * cause.
   */
  public void probeWritable(String lake) throws NotWritableException {
    try {
      Path root = new Path(lake);
      FileSystem fs = root.getFileSystem(conf());
      boolean objectStore = isObjectStore(fs, root);
      FileStatus st = null;
      try {
        st = fs.getFileStatus(root);
      } catch (FileNotFoundException e) {
        // created below (or, on an object store, by the first write)
      }
      if (st != null && !st.isDirectory()) {
        throw new NotWritableException("lake " + lake + " is not a directory");
      }
      if (st == null && !objectStore && !fs.mkdirs(root)) {
        throw new IOException("cannot create directory");
      }
      Path probe = new Path(root, ".write-check-" + UUID.randomUUID() + ".tmp");
      try (OutputStream out = fs.create(probe, false)) {
        out.write('\n');
      }
      if (!fs.delete(probe, false)) {
        throw new IOException("cannot delete probe " + probe);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof NotWritableException n) {
        throw n;
      }
      throw new NotWritableException("lake " + lake + " is not writable: " + describe(e), e);
    }
  }

  /** The lake root cannot be written. */
  public static final class NotWritableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotWritableException(String message) {
      super(message);
    }

    NotWritableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** True for a URI with a scheme ({@code s3://b/k}, {@code file:/x}); false for a plain path. */
  public static boolean isUri(String path) {
    return URI_PREFIX.matcher(path).lookingAt();
  }

  private static final Pattern URI_PREFIX = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]+:/");

  /** The URI scheme of {@code path}, or null for a plain path (a Windows drive letter is none). */
  static String schemeOf(String path) {
    var m = SCHEME.matcher(path);
    return m.lookingAt() && m.end() > 2 ? path.substring(0, m.end() - 1) : null;
  }

  private static boolean isObjectStore(FileSystem fs, Path p) {
    String scheme = p.toUri().getScheme();
    if (scheme == null) {
      scheme = fs.getUri().getScheme();
    }
    return scheme != null && OBJECT_STORE_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null && sb.length() < 400; t = t.getCause()) {
      if (sb.length() > 0) {
        sb.append(": ");
      }
      String kind = t.getClass().getSimpleName().replace("Exception", "");
      String msg = t.getMessage();
      sb.append(msg == null ? kind : kind + " " + msg);
      if (t.getCause() == t
          || (msg != null
              && t.getCause() != null
              && msg.contains(String.valueOf(t.getCause().getMessage())))) {
        break;
      }
    }
    return sb.toString();
  }
}
