package io.ivsanalytics.flatten;

import io.ivsanalytics.model.LakePaths;
import io.ivsanalytics.flatten.InputFiles.InputFile;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.spark.SerializableWritable;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.execution.datasources.parquet.ParquetOutputWriter;
import org.apache.spark.sql.execution.datasources.parquet.ParquetWriteSupport;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * One pass over the input: each task parses its files once and writes every table's rows straight
 * to Parquet with Spark's own Parquet writer (same settings and file schema as a DataFrame write:
 * all columns nullable, {@code dt} only in the directory name), one open file per (table, dt).
 * Files land under {@code staging/<table>/dt=X/}; each is written under a hidden temporary name
 * and renamed when the task ends, so a retried task replaces its files instead of adding more.
 */
final class StagedWrite {
  /** What one task wrote: row counts and the (table, dt) directories it created. */
  static final class TaskSummary implements Serializable {
    // A plain class: Kryo cannot serialize records.
    private long[] counts;
    private ArrayList<String> written;

    TaskSummary(long[] counts, List<String> written) {
      this.counts = counts;
      this.written = new ArrayList<>(written);
    }

    long[] counts() {
      return counts;
    }

    List<String> written() {
      return written;
    }
  }

  /** What the whole pass wrote. */
  record Summary(long sessions, long tracks, long events, long recordings, long malformed, long outside,
      Map<Table, TreeSet<String>> partitions) {}

  static final int SESSIONS = 0;
  static final int TRACKS = 1;
  static final int EVENTS = 2;
  static final int RECORDINGS = 3;
  static final int MALFORMED = 4;
  static final int OUTSIDE = 5;

  private static final List<Table> TABLES =
      List.of(Table.SESSIONS, Table.TRACKS, Table.EVENTS, Table.RECORDING_SETTINGS, Table.FETCH_ERRORS);

  /** Parses and writes all tables under {@code staging}; {@code from}/{@code to} as in FlattenStage. */
  static Summary run(SparkSession spark, List<InputFile> files, String staging, LocalDate runDate,
      LocalDate from, LocalDate to, String fileTag) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration base = new Configuration(spark.sparkContext().hadoopConfiguration());
    for (Map.Entry<String, String> e : writerSettings(spark).entrySet()) {
      base.set(e.getKey(), e.getValue());
    }
    Broadcast<SerializableWritable<Configuration>> conf = jsc.broadcast(new SerializableWritable<>(base));
    int slots = Math.max(1, spark.sparkContext().defaultParallelism()) * 4;
    List<List<InputFile>> groups = InputFiles.balance(files, slots);
    Task task = new Task(conf, staging, runDate.toString(), from == null ? null : from.toString(),
        to == null ? null : to.toString(), fileTag);
    // ParquetWriteSupport reads the datetime rebase settings from the task's SQL conf, which a
    // plain RDD job gets only through local properties (as SQL executions propagate them).
    Map<String, String> saved = new HashMap<>();
    scala.collection.Iterator<scala.Tuple2<String, String>> it = spark.conf().getAll().iterator();
    while (it.hasNext()) {
      scala.Tuple2<String, String> e = it.next();
      if (e._1().startsWith("spark.sql.")) {
        saved.put(e._1(), spark.sparkContext().getLocalProperty(e._1()));
        spark.sparkContext().setLocalProperty(e._1(), e._2());
      }
    }
    List<TaskSummary> tasks;
    try {
      tasks = jsc.parallelize(groups, groups.size()).mapPartitionsWithIndex(task, false).collect();
    } finally {
      saved.forEach((k, v) -> spark.sparkContext().setLocalProperty(k, v));
    }
    long[] n = new long[6];
    Map<Table, TreeSet<String>> partitions = new EnumMap<>(Table.class);
    for (TaskSummary s : tasks) {
      for (int i = 0; i < n.length; i++) {
        n[i] += s.counts()[i];
      }
      for (String w : s.written()) {
        int slash = w.indexOf('/');
        partitions.computeIfAbsent(Table.valueOf(w.substring(0, slash)), k -> new TreeSet<>()).add(w.substring(slash + 1));
      }
    }
    return new Summary(n[SESSIONS], n[TRACKS], n[EVENTS], n[RECORDINGS], n[MALFORMED], n[OUTSIDE], partitions);
  }

  /** The settings Spark's Parquet file format puts in the Hadoop conf of a write. */
  static Map<String, String> writerSettings(SparkSession spark) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("parquet.write.support.class", ParquetWriteSupport.class.getName());
    m.put("spark.sql.parquet.writeLegacyFormat", spark.conf().get("spark.sql.parquet.writeLegacyFormat", "false"));
    m.put("spark.sql.parquet.outputTimestampType", spark.conf().get("spark.sql.parquet.outputTimestampType"));
    m.put("spark.sql.parquet.fieldId.write.enabled", spark.conf().get("spark.sql.parquet.fieldId.write.enabled", "true"));
    m.put("spark.sql.legacy.parquet.nanosAsLong", spark.conf().get("spark.sql.legacy.parquet.nanosAsLong", "false"));
    String codec = spark.conf().get("spark.sql.parquet.compression.codec", "snappy").toUpperCase(Locale.ROOT);
    m.put("parquet.compression", codec.equals("NONE") ? "UNCOMPRESSED" : codec);
    m.put("parquet.summary.metadata.level", "NONE");
    return m;
  }

  /** File extension Spark gives Parquet files of the configured codec. */
  static String extension(SparkSession spark) {
    String codec = spark.conf().get("spark.sql.parquet.compression.codec", "snappy").toLowerCase(Locale.ROOT);
    return switch (codec) {
      case "none", "uncompressed" -> ".parquet";
      case "zstd" -> ".zstd.parquet";
      case "gzip" -> ".gz.parquet";
      default -> "." + codec + ".parquet";
    };
  }

  /** A table's columns as written to its files: without dt, all nullable (as Spark writes them). */
  static StructType fileSchema(Table t) {
    StructField[] f = java.util.Arrays.stream(t.schema().fields())
        .filter(x -> !x.name().equals(Schemas.DT)).toArray(StructField[]::new);
    return (StructType) new StructType(f).asNullable();
  }

  private static final class Task implements Function2<Integer, Iterator<List<InputFile>>, Iterator<TaskSummary>> {
    private final Broadcast<SerializableWritable<Configuration>> conf;
    private final String staging;
    private final String runDate;
    private final String from;
    private final String to;
    private final String fileTag;

    Task(Broadcast<SerializableWritable<Configuration>> conf, String staging, String runDate, String from, String to,
        String fileTag) {
      this.conf = conf;
      this.staging = staging;
      this.runDate = runDate;
      this.from = from;
      this.to = to;
      this.fileTag = fileTag;
    }

    @Override
    public Iterator<TaskSummary> call(Integer partition, Iterator<List<InputFile>> groups) throws Exception {
      Configuration base = conf.value().value();
      TaskContext tc = TaskContext.get();
      int attempt = tc == null ? 0 : tc.attemptNumber();
      Projection sessions = new Projection(Table.SESSIONS, List.of(), null);
      Projection tracks = new Projection(Table.TRACKS, RecordSchema.TRACK_FROM_SESSION, RecordSchema.TRACK);
      Projection events = new Projection(Table.EVENTS, RecordSchema.EVENT_FROM_SESSION, RecordSchema.EVENT);
      Projection recording =
          new Projection(Table.RECORDING_SETTINGS, RecordSchema.RECORDING_FROM_SESSION, RecordSchema.RECORDING_STRUCT);
      Projection errors = new Projection(Table.FETCH_ERRORS, RecordSchema.ERROR_FROM_RECORD, RecordSchema.ERROR_STRUCT);
      StructType record = RecordSchema.RECORD;
      int dtIdx = record.fieldIndex(Schemas.DT);
      int tracksIdx = record.fieldIndex(RecordSchema.TRACKS);
      int eventsIdx = record.fieldIndex(RecordSchema.EVENTS);
      int recordingIdx = record.fieldIndex(RecordSchema.RECORDING);
      int errorIdx = record.fieldIndex(RecordSchema.ERROR);
      InternalRows internal = new InternalRows(record);
      Writers w = new Writers(base, staging, partition, attempt, fileTag);
      long[] n = new long[6];
      boolean ok = false;
      try {
        Iterator<Row> rows = new ReadResponses(conf).call(groups);
        while (rows.hasNext()) {
          InternalRow r = internal.convert(rows.next());
          if (!r.isNullAt(errorIdx)) {
            w.get(Table.FETCH_ERRORS, runDate).write(errors.row(r, r.getStruct(errorIdx, RecordSchema.ERROR_STRUCT.size())));
            n[MALFORMED]++;
            continue;
          }
          String dt = r.getUTF8String(dtIdx).toString();
          if ((from != null && dt.compareTo(from) < 0) || (to != null && dt.compareTo(to) >= 0)) {
            n[OUTSIDE]++;
            continue;
          }
          w.get(Table.SESSIONS, dt).write(sessions.row(r, null));
          n[SESSIONS]++;
          if (!r.isNullAt(tracksIdx)) {
            ArrayData a = r.getArray(tracksIdx);
            ParquetOutputWriter out = a.numElements() == 0 ? null : w.get(Table.TRACKS, dt);
            for (int i = 0; i < a.numElements(); i++) {
              out.write(tracks.row(r, a.getStruct(i, RecordSchema.TRACK.size())));
            }
            n[TRACKS] += a.numElements();
          }
          if (!r.isNullAt(eventsIdx)) {
            ArrayData a = r.getArray(eventsIdx);
            ParquetOutputWriter out = a.numElements() == 0 ? null : w.get(Table.EVENTS, dt);
            for (int i = 0; i < a.numElements(); i++) {
              out.write(events.row(r, a.getStruct(i, RecordSchema.EVENT.size())));
            }
            n[EVENTS] += a.numElements();
          }
          if (!r.isNullAt(recordingIdx)) {
            w.get(Table.RECORDING_SETTINGS, dt)
                .write(recording.row(r, r.getStruct(recordingIdx, RecordSchema.RECORDING_STRUCT.size())));
            n[RECORDINGS]++;
          }
        }
        ok = true;
      } finally {
        w.close(ok);
      }
      return List.of(new TaskSummary(n, w.committed())).iterator();
    }
  }

  /** Builds a table's file row (no dt) from a record and, for child tables, one nested element. */
  private static final class Projection {
    private final int[] source;
    private final DataType[] types;

    Projection(Table t, List<String> fromRecord, StructType nested) {
      StructType file = fileSchema(t);
      source = new int[file.size()];
      types = new DataType[file.size()];
      for (int i = 0; i < source.length; i++) {
        String name = file.fields()[i].name();
        types[i] = file.fields()[i].dataType();
        source[i] = nested == null || fromRecord.contains(name)
            ? RecordSchema.RECORD.fieldIndex(name)
            : -1 - nested.fieldIndex(name);
      }
    }

    InternalRow row(InternalRow record, InternalRow nested) {
      Object[] v = new Object[source.length];
      for (int i = 0; i < v.length; i++) {
        int s = source[i];
        InternalRow from = s >= 0 ? record : nested;
        int idx = s >= 0 ? s : -1 - s;
        v[i] = from.isNullAt(idx) ? null : from.get(idx, types[i]);
      }
      return new GenericInternalRow(v);
    }
  }

  /** The task's open files, one per (table, dt), committed by rename at the end. */
  private static final class Writers {
    private final Configuration base;
    private final String staging;
    private final int partition;
    private final int attempt;
    private final String fileTag;
    private final Map<Table, TaskAttemptContextImpl> contexts = new EnumMap<>(Table.class);
    private final Map<String, ParquetOutputWriter> open = new LinkedHashMap<>();
    private final Map<String, Path[]> paths = new LinkedHashMap<>();
    private final List<String> committed = new ArrayList<>();

    Writers(Configuration base, String staging, int partition, int attempt, String fileTag) {
      this.base = base;
      this.staging = staging;
      this.partition = partition;
      this.attempt = attempt;
      this.fileTag = fileTag;
    }

    ParquetOutputWriter get(Table t, String dt) {
      String key = t.name() + "/" + dt;
      ParquetOutputWriter w = open.get(key);
      if (w == null) {
        TaskAttemptContextImpl ctx = contexts.computeIfAbsent(t, x -> {
          Configuration c = new Configuration(base);
          ParquetWriteSupport.setSchema(fileSchema(x), c);
          return new TaskAttemptContextImpl(c, new TaskAttemptID("flatten", 0, TaskType.MAP, partition, attempt));
        });
        Path dir = new Path(LakePaths.partition(t.dir(staging), dt));
        String name = String.format(Locale.ROOT, "part-%05d-%s", partition, fileTag);
        Path tmp = new Path(dir, "." + name + ".attempt-" + attempt);
        Path fin = new Path(dir, name);
        w = new ParquetOutputWriter(tmp.toString(), ctx);
        open.put(key, w);
        paths.put(key, new Path[] {tmp, fin});
      }
      return w;
    }

    void close(boolean commit) throws IOException {
      IOException failed = null;
      for (Map.Entry<String, ParquetOutputWriter> e : open.entrySet()) {
        try {
          e.getValue().close();
        } catch (RuntimeException ex) {
          failed = failed == null ? new IOException("cannot close " + paths.get(e.getKey())[0], ex) : failed;
        }
      }
      FileSystem fs = null;
      for (Map.Entry<String, Path[]> e : paths.entrySet()) {
        Path tmp = e.getValue()[0];
        Path fin = e.getValue()[1];
        fs = fs == null ? tmp.getFileSystem(base) : fs;
        if (!commit || failed != null) {
          fs.delete(tmp, false);
          continue;
        }
        if (fs.exists(fin)) {
          fs.delete(fin, false);
        }
        if (!fs.rename(tmp, fin)) {
          throw new IOException("cannot rename " + tmp + " to " + fin);
        }
        committed.add(e.getKey());
      }
      if (failed != null) {
        throw failed;
      }
    }

    List<String> committed() {
      return committed;
    }
  }

  /** Moves every staged file of {@code table} into the lake's partition directories. */
  static void publish(Configuration conf, String staging, String tableDir, Table t, Iterable<String> dts) {
    try {
      for (String dt : dts) {
        Path from = new Path(LakePaths.partition(t.dir(staging), dt));
        Path to = new Path(LakePaths.partition(tableDir, dt));
        FileSystem fs = to.getFileSystem(conf);
        fs.mkdirs(to);
        for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(from)) {
          String name = f.getPath().getName();
          if (name.startsWith(".") || name.startsWith("_")) {
            continue;
          }
          Path target = new Path(to, name);
          if (!fs.rename(f.getPath(), target)) {
            throw new IOException("cannot move " + f.getPath() + " to " + target);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + t.dirName() + " from " + staging, e);
    }
  }

  private StagedWrite() {}
}
