package io.ivsanalytics.flatten;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.crypto.FileEncryptionProperties;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetOutputFormat;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows ({@code Object[]} in the schema's field order, with {@link ParsedRecord}'s value
 * forms) to one Parquet file, row group by row group. Each row is split into its leaf columns
 * ({@link LeafColumn}: repetition and definition levels as parquet's record shredding gives them,
 * lists and maps in the standard three-level layout), each column collects a page at a time, and
 * parquet-mr's own page store and file writer compress the pages and write the column chunks,
 * statistics, column and offset indexes and footer. The file is the one {@link
 * org.apache.parquet.hadoop.ParquetWriter} writes with parquet-mr's default format v1 settings for
 * the same schema, except where pages end: the same encodings and dictionary fallback, the same
 * chunk statistics, the same footer keys. Only API present in parquet-mr 1.13 and 1.15 (Spark 3.5
 * and 4.0) is used.
 *
 * <p>A {@link #write} that failed leaves the file unfinished: {@link #close} then releases the
 * buffers and the output stream but writes no row group and no footer, so a half-written row never
 * becomes part of a readable file. Not thread-safe: one writer per file and task.
 */
final class RowFileWriter implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(RowFileWriter.class);

  /** Rows between two measures of the buffered row group. */
  private static final int SIZE_CHECK_ROWS = 256;

  private final MessageType schema;
  private final Map<String, String> extraMetaData;
  private final ParquetProperties props;
  private final long rowGroupSize;
  private final StreamTracking output;
  private final ParquetFileWriter file;
  private final CodecFactory codecs;

  // the compressor type parquet-mr 1.13's page store takes (deprecated, but 1.13 has no other)
  @SuppressWarnings("deprecation")
  private final CodecFactory.BytesCompressor compressor;

  private final Field[] fields;
  private final LeafColumn[] leaves;
  private long nextRowGroupSize;
  private long recordCount;
  private int rowGroupOrdinal;
  private ColumnChunkPageWriteStore pageStore;
  private boolean aborted;
  private boolean closed;

  /**
   * Creates (or overwrites) {@code path} and writes its header. {@code rowGroupSize} is the target
   * size of a row group in bytes ({@link ParquetWriter#DEFAULT_BLOCK_SIZE} is parquet's default);
   * the footer names Spark {@code sparkVersion} and holds {@code rows} as Spark's row metadata.
   */
  RowFileWriter(
      Configuration conf,
      Path path,
      StructType rows,
      String sparkVersion,
      CompressionCodecName codec,
      long rowGroupSize)
      throws IOException {
    this.props = ParquetProperties.builder().build();
    this.rowGroupSize = rowGroupSize;
    this.nextRowGroupSize = rowGroupSize;
    this.schema = ParquetRows.messageType(rows);
    this.extraMetaData = ParquetRows.footer(rows, sparkVersion);
    List<LeafColumn> columns = new ArrayList<>();
    this.fields = new Field[rows.size()];
    for (int i = 0; i < fields.length; i++) {
      StructField f = rows.fields()[i];
      fields[i] = field(new String[] {f.name()}, f.dataType(), f.nullable(), 0, columns);
    }
    this.leaves = columns.toArray(new LeafColumn[0]);
    this.output = new StreamTracking(HadoopOutputFile.fromPath(path, conf));
    // A crypto factory named in the configuration encrypts the file, as for ParquetWriter.
    String name = output.getPath();
    FileEncryptionProperties encryption =
        ParquetOutputFormat.createEncryptionProperties(
            conf,
            name == null ? null : new Path(name),
            new WriteSupport.WriteContext(schema, extraMetaData));
    boolean started = false;
    try {
      this.file =
          new ParquetFileWriter(
              output,
              schema,
              ParquetFileWriter.Mode.OVERWRITE,
              rowGroupSize,
              ParquetWriter.MAX_PADDING_SIZE_DEFAULT,
              props.getColumnIndexTruncateLength(),
              props.getStatisticsTruncateLength(),
              props.getPageWriteChecksumEnabled(),
              encryption);
      file.start();
      this.codecs = new CodecFactory(conf, props.getPageSizeThreshold());
      this.compressor =
          codec == CompressionCodecName.SNAPPY ? new SnappyPages() : codecs.getCompressor(codec);
      initStore();
      started = true;
    } finally {
      if (!started) {
        output.closeQuietly();
      }
    }
  }

  /** Writes one row: {@code Object[]} in the schema's field order. */
  void write(Object[] row) throws IOException {
    try {
      for (int i = 0; i < fields.length; i++) {
        fields[i].write(row[i], 0, 0);
      }
      for (LeafColumn c : leaves) {
        c.endRecord();
      }
      if (++recordCount % SIZE_CHECK_ROWS == 0) {
        checkBlockSizeReached();
      }
    } catch (Throwable t) {
      aborted = true;
      throw t;
    }
  }

  /** Writes the last row group and the footer (unless a write failed), then releases all. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    boolean ended = false;
    try {
      if (!aborted) {
        flushRowGroup();
        file.end(extraMetaData);
        ended = true;
      }
    } finally {
      try {
        release(pageStore, file);
      } finally {
        pageStore = null;
        // end() closed the stream; a file writer that is AutoCloseable (1.15) closed it in release
        if (!ended && !(file instanceof AutoCloseable)) {
          output.closeQuietly();
        }
        codecs.release();
      }
    }
  }

  @SuppressWarnings("deprecation") // the page store of a BytesCompressor: 1.13 has no other
  private void initStore() {
    pageStore =
        new ColumnChunkPageWriteStore(
            compressor,
            schema,
            props.getAllocator(),
            props.getColumnIndexTruncateLength(),
            props.getPageWriteChecksumEnabled(),
            file.getEncryptor(),
            rowGroupOrdinal);
    for (LeafColumn c : leaves) {
      c.startChunk(pageStore.getPageWriter(c.column));
    }
  }

  /** Ends the row group when what it buffers, compressed pages and open pages, reaches its size. */
  private void checkBlockSizeReached() throws IOException {
    long buffered = 0;
    for (LeafColumn c : leaves) {
      buffered += c.bufferedBytes();
    }
    if (buffered >= nextRowGroupSize) {
      LOG.debug(
          "{} bytes buffered >= {}: flushing {} rows", buffered, nextRowGroupSize, recordCount);
      flushRowGroup();
      initStore();
    }
  }

  private void flushRowGroup() throws IOException {
    try {
      if (recordCount > 0) {
        rowGroupOrdinal++;
        for (LeafColumn c : leaves) {
          c.endChunk();
        }
        file.startBlock(recordCount);
        pageStore.flushToFileWriter(file);
        recordCount = 0;
        file.endBlock();
        nextRowGroupSize = Math.min(file.getNextRowGroupSize(), rowGroupSize);
      }
    } finally {
      release(pageStore);
      pageStore = null;
    }
  }

  /** A field of the row (or of a struct, list or map in it), splitting values into its leaves. */
  private interface Field {
    /** Writes {@code v} at repetition level {@code r}; {@code d}: the levels defined above it. */
    void write(Object v, int r, int d) throws IOException;

    /** An entry without a value in every leaf below, at levels {@code r} and {@code d}. */
    void nulls(int r, int d);
  }

  /**
   * The field for a column of Spark type {@code t} at {@code path}, with {@code rep} repeated
   * groups above it; its leaves are added to {@code out} in the schema's column order.
   */
  private Field field(String[] path, DataType t, boolean nullable, int rep, List<LeafColumn> out) {
    if (t instanceof ArrayType a) {
      Field element =
          field(append(path, "list", "element"), a.elementType(), a.containsNull(), rep + 1, out);
      return group(
          nullable,
          (v, r, d) -> {
            Object[] items = (Object[]) v;
            if (items.length == 0) {
              element.nulls(r, d);
            }
            for (int i = 0; i < items.length; i++) {
              element.write(items[i], i == 0 ? r : rep + 1, d + 1);
            }
          },
          element);
    }
    if (t instanceof MapType m) {
      Field key = field(append(path, "key_value", "key"), m.keyType(), false, rep + 1, out);
      Field value =
          field(
              append(path, "key_value", "value"),
              m.valueType(),
              m.valueContainsNull(),
              rep + 1,
              out);
      return group(
          nullable,
          (v, r, d) -> {
            Map<?, ?> map = (Map<?, ?>) v;
            if (map.isEmpty()) {
              key.nulls(r, d);
              value.nulls(r, d);
            }
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
              int rr = i++ == 0 ? r : rep + 1;
              key.write(e.getKey(), rr, d + 1);
              value.write(e.getValue(), rr, d + 1);
            }
          },
          key,
          value);
    }
    if (t instanceof StructType s) {
      Field[] children = new Field[s.size()];
      for (int i = 0; i < children.length; i++) {
        StructField f = s.fields()[i];
        children[i] = field(append(path, f.name()), f.dataType(), f.nullable(), rep, out);
      }
      return group(
          nullable,
          (v, r, d) -> {
            Object[] values = (Object[]) v;
            for (int i = 0; i < children.length; i++) {
              children[i].write(values[i], r, d);
            }
          },
          children);
    }
    LeafColumn leaf = LeafColumn.of(schema.getColumnDescription(path));
    out.add(leaf);
    return new Field() {
      @Override
      public void write(Object v, int r, int d) throws IOException {
        if (v != null) {
          leaf.add(v, r);
        } else if (nullable) {
          leaf.nullAt(r, d);
        } else {
          throw new IllegalArgumentException("null in required column " + String.join(".", path));
        }
      }

      @Override
      public void nulls(int r, int d) {
        leaf.nullAt(r, d);
      }
    };
  }

  private interface Body {
    void write(Object v, int r, int d) throws IOException;
  }

  /**
   * A group field: a null (when {@code nullable}) is an entry without a value in every leaf below
   * at the levels above it; a value defines one more level (the group's own, if optional) and is
   * written by {@code body}.
   */
  private static Field group(boolean nullable, Body body, Field... below) {
    return new Field() {
      @Override
      public void write(Object v, int r, int d) throws IOException {
        if (v == null) {
          if (!nullable) {
            throw new IllegalArgumentException("null in a required group");
          }
          nulls(r, d);
        } else {
          body.write(v, r, nullable ? d + 1 : d);
        }
      }

      @Override
      public void nulls(int r, int d) {
        for (Field f : below) {
          f.nulls(r, d);
        }
      }
    };
  }

  private static String[] append(String[] path, String... more) {
    String[] p = Arrays.copyOf(path, path.length + more.length);
    System.arraycopy(more, 0, p, path.length, more.length);
    return p;
  }

  /**
   * Closes those of {@code parts} that hold releasable resources: parquet-mr 1.15's stores and file
   * writer do (buffers, the output stream), 1.13's have nothing to release.
   */
  private static void release(Object... parts) throws IOException {
    IOException failed = null;
    for (Object part : parts) {
      if (part instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          if (failed == null) {
            failed = e instanceof IOException io ? io : new IOException(e);
          }
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  /**
   * The file, remembering the stream it opened: an unfinished file's stream is closed by {@link
   * #close} even where the file writer has no close of its own (parquet-mr 1.13).
   */
  private static final class StreamTracking implements OutputFile {
    private final OutputFile file;
    private PositionOutputStream out;

    StreamTracking(OutputFile file) {
      this.file = file;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) throws IOException {
      out = file.create(blockSizeHint);
      return out;
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
      out = file.createOrOverwrite(blockSizeHint);
      return out;
    }

    @Override
    public boolean supportsBlockSize() {
      return file.supportsBlockSize();
    }

    @Override
    public long defaultBlockSize() {
      return file.defaultBlockSize();
    }

    @Override
    public String getPath() {
      return file.getPath();
    }

    /** Closes the stream if one was opened. */
    void closeQuietly() {
      if (out != null) {
        try {
          out.close();
        } catch (IOException | RuntimeException e) {
          LOG.debug("closing {}", file.getPath(), e);
        }
      }
    }
  }
}
