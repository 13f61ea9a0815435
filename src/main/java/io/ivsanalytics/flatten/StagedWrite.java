package io.ivsanalytics.flatten;

import io.ivsanalytics.flatten.InputFiles.InputFile;
import io.ivsanalytics.lake.LakeFs;
import io.ivsanalytics.model.LakePaths;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One pass over the input: each task parses its group of files once and writes every table's rows
 * straight to Parquet ({@link ParquetRows}), one file per (table, dt) and task, under {@code
 * <generation>/<table>/dt=X/}, plus the group's session keys under {@code <generation>/_keys/}. A
 * file's name carries the task attempt, and the driver keeps only the files the successful attempt
 * of each task reports: leftovers of failed or speculative attempts are never published. Nothing
 * here is visible in the lake; {@link FlattenRun} decides what to publish.
 */
final class StagedWrite {
  static final String KEYS = "_keys";

  /** The columns of a group's key file. */
  static final StructType KEY_SCHEMA =
      new StructType()
          .add("channel_arn", DataTypes.StringType)
          .add("stream_id", DataTypes.StringType)
          .add("fetched_at", DataTypes.TimestampType)
          .add(Schemas.DT, DataTypes.StringType)
          .add(RecordSchema.RECORD_ID, DataTypes.LongType);

  static final int SESSIONS = 0;
  static final int TRACKS = 1;
  static final int EVENTS = 2;
  static final int RECORDINGS = 3;
  static final int MALFORMED = 4;
  static final int OUTSIDE = 5;
  static final int SKIPPED = 6;
  static final int ODD = 7;
  private static final int COUNTS = 8;
  private static final Pattern GROUP = Pattern.compile("/part-(\\d{5})-[^/]*$");

  /** What one task wrote. A plain class: it travels through Kryo, which cannot build records. */
  static final class TaskSummary implements Serializable {
    private int group;
    private long[] counts;

    /** Paths relative to the generation directory: {@code <table>/dt=X/<name>}. */
    private ArrayList<String> files;

    private HashMap<String, Long> oddCounts;
    private HashMap<String, String> oddExamples;

    /** {@link MergePlan#keyHash} of each session key the task wrote to its key file. */
    private long[] keyHashes;

    TaskSummary(
        int group,
        long[] counts,
        List<String> files,
        Map<String, Long> oddCounts,
        Map<String, String> oddExamples,
        long[] keyHashes) {
      this.group = group;
      this.counts = counts;
      this.files = new ArrayList<>(files);
      this.oddCounts = new HashMap<>(oddCounts);
      this.oddExamples = new HashMap<>(oddExamples);
      this.keyHashes = keyHashes;
    }
  }

  /**
   * What a pass wrote: counts, its files per table, the groups that hold each file, and the {@link
   * MergePlan#keyHash} of every session key in its key files, sorted.
   */
  record Summary(
      long[] counts,
      Map<Integer, long[]> perGroup,
      Map<Table, List<String>> files,
      List<String> keyFiles,
      long[] keyHashes,
      Map<String, Long> oddCounts,
      Map<String, String> oddExamples) {
    long count(int which) {
      return counts[which];
    }

    /** The counts of the final files: this pass's, with the groups done {@code again} replaced. */
    long[] countsReplacing(Summary again, Set<Integer> redo) {
      long[] n = counts.clone();
      for (int g : redo) {
        long[] first = perGroup.get(g);
        for (int i = 0; i < n.length; i++) {
          n[i] -= first[i];
        }
      }
      for (long[] c : again.perGroup().values()) {
        for (int i = 0; i < n.length; i++) {
          n[i] += c[i];
        }
      }
      return n;
    }

    /** The dt values this pass wrote for {@code t}. */
    TreeSet<String> partitions(Table t) {
      TreeSet<String> out = new TreeSet<>();
      for (String f : files.getOrDefault(t, List.of())) {
        out.add(dtOf(f));
      }
      return out;
    }
  }

  /** The group whose task wrote a staged file (the number in its {@code part-NNNNN-} name). */
  static int groupOf(String stagedFile) {
    Matcher m = GROUP.matcher(stagedFile);
    if (!m.find()) {
      throw new IllegalStateException("not a staged file name: " + stagedFile);
    }
    return Integer.parseInt(m.group(1));
  }

  /** {@code dt} of a path holding {@code .../dt=X/name}. */
  static String dtOf(String path) {
    int at = path.lastIndexOf("/" + Schemas.DT + "=");
    int end = path.indexOf('/', at + 1);
    return path.substring(at + 4, end);
  }

  /** What the tasks need to know. */
  record Job(
      String generationDir,
      String runDate,
      String from,
      String to,
      String fileTag,
      ParquetRows.Settings parquet,
      long[] skip,
      boolean writeKeys)
      implements Serializable {}

  /**
   * Parses and writes the given groups (indexes into {@code groups}) under {@code
   * job.generationDir}. Records whose id is in {@code job.skip} (sorted) are left out.
   */
  static Summary run(
      SparkSession spark, LakeFs fs, List<List<InputFile>> groups, List<Integer> which, Job job) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Map.Entry<Integer, List<InputFile>>> work = new ArrayList<>();
    for (int g : which) {
      work.add(Map.entry(g, groups.get(g)));
    }
    List<TaskSummary> tasks =
        jsc.parallelize(work, Math.max(1, work.size()))
            .mapPartitions(new Task(fs, job), false)
            .collect();
    long[] n = new long[COUNTS];
    Map<Table, List<String>> files = new EnumMap<>(Table.class);
    List<String> keyFiles = new ArrayList<>();
    Map<String, Long> oddCounts = new TreeMap<>();
    Map<String, String> oddExamples = new TreeMap<>();
    Map<Integer, long[]> perGroup = new TreeMap<>();
    long[] hashes = new long[tasks.stream().mapToInt(s -> s.keyHashes.length).sum()];
    int filled = 0;
    for (TaskSummary s : tasks) {
      System.arraycopy(s.keyHashes, 0, hashes, filled, s.keyHashes.length);
      filled += s.keyHashes.length;
      perGroup.put(s.group, s.counts);
      for (int i = 0; i < n.length; i++) {
        n[i] += s.counts[i];
      }
      for (String f : s.files) {
        String dir = f.substring(0, f.indexOf('/'));
        if (dir.equals(KEYS)) {
          keyFiles.add(job.generationDir() + "/" + f);
        } else {
          files
              .computeIfAbsent(Table.valueOf(dir.toUpperCase(Locale.ROOT)), k -> new ArrayList<>())
              .add(job.generationDir() + "/" + f);
        }
      }
      s.oddCounts.forEach((k, v) -> oddCounts.merge(k, v, Long::sum));
      s.oddExamples.forEach(oddExamples::putIfAbsent);
    }
    Arrays.sort(hashes);
    return new Summary(n, perGroup, files, keyFiles, hashes, oddCounts, oddExamples);
  }

  private static final class Task
      implements FlatMapFunction<Iterator<Map.Entry<Integer, List<InputFile>>>, TaskSummary> {
    private final LakeFs fs;
    private final Job job;

    Task(LakeFs fs, Job job) {
      this.fs = fs;
      this.job = job;
    }

    @Override
    public Iterator<TaskSummary> call(Iterator<Map.Entry<Integer, List<InputFile>>> it)
        throws Exception {
      List<TaskSummary> out = new ArrayList<>();
      while (it.hasNext()) {
        Map.Entry<Integer, List<InputFile>> e = it.next();
        out.add(group(e.getKey(), e.getValue()));
      }
      return out.iterator();
    }

    private TaskSummary group(int group, List<InputFile> files) throws IOException {
      TaskContext tc = TaskContext.get();
      int attempt = tc == null ? 0 : tc.attemptNumber();
      String name =
          String.format(
              Locale.ROOT,
              "part-%05d-%s-a%d%s",
              group,
              job.fileTag(),
              attempt,
              job.parquet().extension());
      Writers w = new Writers(fs.conf(), job, name);
      boolean ok = false;
      GroupRows g;
      try {
        RowFileWriter keys =
            job.writeKeys()
                ? w.open(
                    KEYS
                        + "/"
                        + String.format(Locale.ROOT, "part-%05d-a%d.parquet", group, attempt),
                    KEY_SCHEMA)
                : null;
        g = new GroupRows(job, w, keys);
        Iterator<ParsedRecord> rows = ReadResponses.records(fs, files);
        while (rows.hasNext()) {
          g.add(rows.next());
        }
        ok = true;
      } finally {
        w.close(ok);
      }
      return new TaskSummary(
          group, g.n, w.written(), g.oddCounts, g.oddExamples, Arrays.copyOf(g.hashes, g.hashed));
    }
  }

  /** What a task writes for each record of its group, and its counts. */
  private static final class GroupRows {
    private static final StructType RECORD = RecordSchema.RECORD;
    private static final int DT_IDX = RECORD.fieldIndex(Schemas.DT);
    private static final int TRACKS_IDX = RECORD.fieldIndex(RecordSchema.TRACKS);
    private static final int EVENTS_IDX = RECORD.fieldIndex(RecordSchema.EVENTS);
    private static final int RECORDING_IDX = RECORD.fieldIndex(RecordSchema.RECORDING);
    private static final int ERROR_IDX = RECORD.fieldIndex(RecordSchema.ERROR);
    private static final int ID_IDX = RECORD.fieldIndex(RecordSchema.RECORD_ID);

    private final Projection key = new Projection(KEY_SCHEMA, List.of(), null);
    private final Projection sessions = new Projection(Table.SESSIONS, List.of(), null);
    private final Projection tracks =
        new Projection(Table.TRACKS, RecordSchema.TRACK_FROM_SESSION, RecordSchema.TRACK);
    private final Projection events =
        new Projection(Table.EVENTS, RecordSchema.EVENT_FROM_SESSION, RecordSchema.EVENT);
    private final Projection recording =
        new Projection(
            Table.RECORDING_SETTINGS,
            RecordSchema.RECORDING_FROM_SESSION,
            RecordSchema.RECORDING_STRUCT);
    private final Projection errors =
        new Projection(
            Table.FETCH_ERRORS, RecordSchema.ERROR_FROM_RECORD, RecordSchema.ERROR_STRUCT);
    private final Job job;
    private final Writers w;
    private final RowFileWriter keys;
    final long[] n = new long[COUNTS];
    final Map<String, Long> oddCounts = new HashMap<>();
    final Map<String, String> oddExamples = new HashMap<>();
    long[] hashes;
    int hashed;

    GroupRows(Job job, Writers w, RowFileWriter keys) {
      this.job = job;
      this.w = w;
      this.keys = keys;
      this.hashes = new long[keys == null ? 0 : 1024];
    }

    void add(ParsedRecord p) throws IOException {
      Object[] r = p.values();
      if (r[ERROR_IDX] != null) {
        w.get(Table.FETCH_ERRORS, job.runDate()).write(errors.row(r, (Object[]) r[ERROR_IDX]));
        n[MALFORMED]++;
        return;
      }
      String dt = (String) r[DT_IDX];
      if ((job.from() != null && dt.compareTo(job.from()) < 0)
          || (job.to() != null && dt.compareTo(job.to()) >= 0)) {
        n[OUTSIDE]++;
        return;
      }
      if (job.skip().length > 0 && Arrays.binarySearch(job.skip(), (Long) r[ID_IDX]) >= 0) {
        n[SKIPPED]++;
        return;
      }
      for (ParsedRecord.OddField f : p.oddFields()) {
        n[ODD]++;
        oddCounts.merge(f.kind(), 1L, Long::sum);
        oddExamples.putIfAbsent(f.kind(), f.value());
      }
      if (keys != null) {
        Object[] k = key.row(r, null);
        keys.write(k);
        if (hashed == hashes.length) {
          hashes = Arrays.copyOf(hashes, hashed * 2);
        }
        hashes[hashed++] = MergePlan.keyHash((String) k[0], (String) k[1]);
      }
      w.get(Table.SESSIONS, dt).write(sessions.row(r, null));
      n[SESSIONS]++;
      n[TRACKS] += children(Table.TRACKS, dt, tracks, r, (Object[]) r[TRACKS_IDX]);
      n[EVENTS] += children(Table.EVENTS, dt, events, r, (Object[]) r[EVENTS_IDX]);
      if (r[RECORDING_IDX] != null) {
        w.get(Table.RECORDING_SETTINGS, dt).write(recording.row(r, (Object[]) r[RECORDING_IDX]));
        n[RECORDINGS]++;
      }
    }

    /**
     * Writes a record's child rows ({@code nested}, may be null) to table {@code t}: their count.
     */
    private int children(Table t, String dt, Projection p, Object[] record, Object[] nested)
        throws IOException {
      if (nested == null || nested.length == 0) {
        return 0;
      }
      RowFileWriter out = w.get(t, dt);
      for (Object child : nested) {
        out.write(p.row(record, (Object[]) child));
      }
      return nested.length;
    }
  }

  /**
   * Builds a file row (a table's, without dt, or a key file's) from a record and, for child tables,
   * one nested element, in one array it reuses: {@link RowFileWriter#write} takes the values, not
   * the array.
   */
  private static final class Projection {
    private final int[] source;
    private final Object[] v;

    Projection(Table t, List<String> fromRecord, StructType nested) {
      this(t.fileSchema(), fromRecord, nested);
    }

    /** Rows of {@code file}'s columns, named as in the record (or, if not listed, as in nested). */
    Projection(StructType file, List<String> fromRecord, StructType nested) {
      source = new int[file.size()];
      for (int i = 0; i < source.length; i++) {
        String name = file.fields()[i].name();
        source[i] =
            nested == null || fromRecord.contains(name)
                ? RecordSchema.RECORD.fieldIndex(name)
                : -1 - nested.fieldIndex(name);
      }
      v = new Object[source.length];
    }

    Object[] row(Object[] record, Object[] nested) {
      for (int i = 0; i < v.length; i++) {
        int s = source[i];
        v[i] = s >= 0 ? record[s] : nested[-1 - s];
      }
      return v;
    }
  }

  /** The task's open files, one per (table, dt). */
  private static final class Writers {
    private final Configuration conf;
    private final Job job;
    private final String name;
    private final Map<String, RowFileWriter> open = new LinkedHashMap<>();

    Writers(Configuration conf, Job job, String name) {
      this.conf = conf;
      this.job = job;
      this.name = name;
    }

    /** The files of the dt asked for last, by table: consecutive records mostly share a dt. */
    private String lastDt;

    private final RowFileWriter[] lastFiles = new RowFileWriter[Table.values().length];

    RowFileWriter get(Table t, String dt) throws IOException {
      if (!dt.equals(lastDt)) {
        lastDt = dt;
        Arrays.fill(lastFiles, null);
      }
      RowFileWriter w = lastFiles[t.ordinal()];
      if (w == null) {
        String rel = t.dirName() + "/" + Schemas.DT + "=" + dt + "/" + name;
        w = open.get(rel);
        w = w != null ? w : open(rel, t.fileSchema());
        lastFiles[t.ordinal()] = w;
      }
      return w;
    }

    RowFileWriter open(String rel, StructType schema) throws IOException {
      RowFileWriter w =
          ParquetRows.open(
              conf, new Path(LakePaths.child(job.generationDir(), rel)), schema, job.parquet());
      open.put(rel, w);
      return w;
    }

    void close(boolean ok) throws IOException {
      IOException failed = null;
      for (Map.Entry<String, RowFileWriter> e : open.entrySet()) {
        try {
          e.getValue().close();
        } catch (IOException | RuntimeException ex) {
          failed = failed == null ? new IOException("cannot close " + e.getKey(), ex) : failed;
        }
      }
      if (ok && failed != null) {
        throw failed;
      }
    }

    List<String> written() {
      return new ArrayList<>(open.keySet());
    }
  }

  private StagedWrite() {}
}
