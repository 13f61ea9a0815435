package io.ivsanalytics.flatten;

import java.io.Closeable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ColumnWriteStore;
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
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows to one Parquet file, row group by row group, as parquet-mr's {@link ParquetWriter}
 * does (its internal record writer: the same row-group size check at the same record counts, the
 * same flush, the same footer), but with the {@link ParquetProperties} given here, whose values
 * writers can be chosen ({@link ParquetProperties.Builder#withValuesWriterFactory}), which {@code
 * ParquetWriter}'s builder does not offer. With the same properties, codec and row group size the
 * file is byte for byte the one {@code ParquetWriter} writes. Only API present in parquet-mr 1.13
 * and 1.15 (Spark 3.5 and 4.0) is used.
 *
 * <p>A {@link #write} that failed leaves the file unfinished: {@link #close} then releases the
 * buffers and the output stream but writes no row group and no footer, so a half-written row never
 * becomes part of a readable file. Not thread-safe: one writer per file and task.
 */
final class RowFileWriter implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(RowFileWriter.class);

  private final WriteSupport<Object[]> writeSupport;
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

  private long nextRowGroupSize;
  private long recordCount;
  private long recordCountForNextMemCheck;
  private int rowGroupOrdinal;
  private ColumnWriteStore columnStore;
  private ColumnChunkPageWriteStore pageStore;
  private RecordConsumer recordConsumer;
  private boolean aborted;
  private boolean closed;

  /**
   * Creates (or overwrites) {@code path} and writes its header. {@code rowGroupSize} is the target
   * size of a row group in bytes ({@link ParquetWriter#DEFAULT_BLOCK_SIZE} is parquet's default).
   */
  @SuppressWarnings("deprecation") // WriteSupport.init(Configuration): 1.13 has no other
  RowFileWriter(
      Configuration conf,
      Path path,
      WriteSupport<Object[]> writeSupport,
      CompressionCodecName codec,
      ParquetProperties props,
      long rowGroupSize)
      throws IOException {
    this.writeSupport = writeSupport;
    this.props = props;
    this.rowGroupSize = rowGroupSize;
    this.nextRowGroupSize = rowGroupSize;
    WriteSupport.WriteContext context = writeSupport.init(conf);
    this.schema = context.getSchema();
    this.extraMetaData = context.getExtraMetaData();
    this.output = new StreamTracking(HadoopOutputFile.fromPath(path, conf));
    // A crypto factory named in the configuration encrypts the file, as for ParquetWriter.
    String name = output.getPath();
    FileEncryptionProperties encryption =
        ParquetOutputFormat.createEncryptionProperties(
            conf, name == null ? null : new Path(name), context);
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
      this.compressor = codecs.getCompressor(codec);
      initStore();
      started = true;
    } finally {
      if (!started) {
        output.closeQuietly();
      }
    }
    this.recordCountForNextMemCheck = props.getMinRowCountForPageSizeCheck();
  }

  /** Writes one row: {@code Object[]} in the write support's field order. */
  void write(Object[] row) throws IOException {
    try {
      writeSupport.write(row);
      ++recordCount;
      checkBlockSizeReached();
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
        WriteSupport.FinalizedWriteContext last = writeSupport.finalizeWrite();
        Map<String, String> meta = new HashMap<>(extraMetaData);
        String model = writeSupport.getName();
        if (model != null) {
          meta.put(ParquetWriter.OBJECT_MODEL_NAME_PROP, model);
        }
        meta.putAll(last.getExtraMetaData());
        file.end(meta);
        ended = true;
      }
    } finally {
      try {
        release(columnStore, pageStore, file);
      } finally {
        columnStore = null;
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
    ColumnChunkPageWriteStore pages =
        new ColumnChunkPageWriteStore(
            compressor,
            schema,
            props.getAllocator(),
            props.getColumnIndexTruncateLength(),
            props.getPageWriteChecksumEnabled(),
            file.getEncryptor(),
            rowGroupOrdinal);
    pageStore = pages;
    columnStore = props.newColumnWriteStore(schema, pages, pages);
    recordConsumer =
        new ColumnIOFactory(ParquetWriter.DEFAULT_IS_VALIDATING_ENABLED)
            .getColumnIO(schema)
            .getRecordWriter(columnStore);
    writeSupport.prepareForWrite(recordConsumer);
  }

  /**
   * Measuring the buffered size is relatively expensive: it is checked at parquet's cadence (first
   * after the minimum record count, then about halfway to the estimated end of the row group, never
   * more than the maximum record count ahead), and the row group is flushed when it is within about
   * two records of its target size.
   */
  private void checkBlockSizeReached() throws IOException {
    if (recordCount < recordCountForNextMemCheck) {
      return;
    }
    long memSize = columnStore.getBufferedSize();
    long recordSize = memSize / recordCount;
    if (memSize > (nextRowGroupSize - 2 * recordSize)) {
      LOG.debug("mem size {} > {}: flushing {} records", memSize, nextRowGroupSize, recordCount);
      flushRowGroup();
      initStore();
      recordCountForNextMemCheck =
          Math.min(
              Math.max(props.getMinRowCountForPageSizeCheck(), recordCount / 2),
              props.getMaxRowCountForPageSizeCheck());
    } else {
      recordCountForNextMemCheck =
          Math.min(
              Math.max(
                  props.getMinRowCountForPageSizeCheck(),
                  (recordCount + (long) (nextRowGroupSize / ((float) recordSize))) / 2),
              recordCount + props.getMaxRowCountForPageSizeCheck());
    }
  }

  private void flushRowGroup() throws IOException {
    try {
      recordConsumer.flush();
      if (columnStore.getAllocatedSize() > 3 * rowGroupSize) {
        LOG.warn("Too much memory used: {}", columnStore.memUsageString());
      }
      if (recordCount > 0) {
        rowGroupOrdinal++;
        file.startBlock(recordCount);
        columnStore.flush();
        pageStore.flushToFileWriter(file);
        recordCount = 0;
        file.endBlock();
        nextRowGroupSize = Math.min(file.getNextRowGroupSize(), rowGroupSize);
      }
    } finally {
      release(columnStore, pageStore);
      columnStore = null;
      pageStore = null;
    }
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
