package io.ivsanalytics.flatten;

import java.util.Arrays;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter;
import org.apache.parquet.column.values.factory.DefaultV1ValuesWriterFactory;
import org.apache.parquet.column.values.factory.DefaultV2ValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.column.values.fallback.FallbackValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * parquet-mr's default values writers, except that a dictionary-encoded string (BINARY) column of a
 * format v1 file finds a value passed again as the same {@link Binary} instance as a recent value
 * by identity, without hashing and comparing its bytes ({@link RepeatedBinaryDictionaryWriter}).
 * Child table rows repeat their session's strings (channel ARN, stream id, ...) on every row of the
 * session, the parser shares one instance per enumerated value (event names, codecs, ...), and the
 * row writer passes each such string as one {@link Binary} instance. The pages, dictionary and
 * fallback to plain encoding are exactly parquet's: the same dictionary ids, sizes and thresholds,
 * so the file is the same byte for byte.
 *
 * <p>Every column other than those takes parquet's own writer for the file's format version; this
 * factory is initialized by the {@link ParquetProperties} it is built into, one per file.
 */
final class RowValuesWriters implements ValuesWriterFactory {
  /** Slots of the identity caches of string values: a power of two. */
  static final int RECENT = 256;

  private ParquetProperties props;
  private ValuesWriterFactory defaults;

  @Override
  public void initialize(ParquetProperties properties) {
    this.props = properties;
    // parquet's DefaultValuesWriterFactory without its JVM-wide shared delegates
    this.defaults =
        properties.getWriterVersion() == ParquetProperties.WriterVersion.PARQUET_1_0
            ? new DefaultV1ValuesWriterFactory()
            : new DefaultV2ValuesWriterFactory();
    defaults.initialize(properties);
  }

  // PLAIN_DICTIONARY: the (deprecated) encoding format v1 labels dictionary pages with
  @SuppressWarnings("deprecation")
  @Override
  public ValuesWriter newValuesWriter(ColumnDescriptor descriptor) {
    if (descriptor.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BINARY
        && props.getWriterVersion() == ParquetProperties.WriterVersion.PARQUET_1_0
        && props.isDictionaryEnabled(descriptor)) {
      // as DefaultV1ValuesWriterFactory builds a BINARY column's writer
      return FallbackValuesWriter.of(
          new RepeatedBinaryDictionaryWriter(
              props.getDictionaryPageSizeThreshold(),
              Encoding.PLAIN_DICTIONARY,
              Encoding.PLAIN_DICTIONARY,
              props.getAllocator()),
          new PlainValuesWriter(
              props.getInitialSlabSize(), props.getPageSizeThreshold(), props.getAllocator()));
    }
    return defaults.newValuesWriter(descriptor);
  }

  /**
   * parquet's plain binary dictionary writer, remembering the ids of recent values in a small table
   * indexed by identity hash: the same {@link Binary} instance written again (and not backed by a
   * reused buffer) gets its id without a dictionary lookup. Clearing the dictionary forgets them.
   */
  static final class RepeatedBinaryDictionaryWriter
      extends DictionaryValuesWriter.PlainBinaryDictionaryValuesWriter {
    private final Binary[] recent = new Binary[RECENT];
    private final int[] recentIds = new int[RECENT];

    RepeatedBinaryDictionaryWriter(
        int maxDictionaryByteSize,
        Encoding encodingForDataPage,
        Encoding encodingForDictionaryPage,
        ByteBufferAllocator allocator) {
      super(maxDictionaryByteSize, encodingForDataPage, encodingForDictionaryPage, allocator);
    }

    @Override
    public void writeBytes(Binary v) {
      int slot = System.identityHashCode(v) & (RECENT - 1);
      if (recent[slot] == v) {
        encodedValues.add(recentIds[slot]);
        return;
      }
      // PlainBinaryDictionaryValuesWriter.writeBytes
      int id = binaryDictionaryContent.getInt(v);
      if (id == -1) {
        id = binaryDictionaryContent.size();
        binaryDictionaryContent.put(v.copy(), id);
        dictionaryByteSize += 4L + v.length();
      }
      encodedValues.add(id);
      if (!v.isBackingBytesReused()) {
        recent[slot] = v;
        recentIds[slot] = id;
      } else {
        recent[slot] = null;
      }
    }

    @Override
    protected void clearDictionaryContent() {
      Arrays.fill(recent, null);
      super.clearDictionaryContent();
    }
  }
}
