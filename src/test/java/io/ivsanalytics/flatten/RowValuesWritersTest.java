package io.ivsanalytics.flatten;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter;
import org.apache.parquet.column.values.fallback.FallbackValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;

/**
 * The string dictionary that recognizes a repeated {@link Binary} instance gives exactly parquet's
 * plain binary dictionary's ids and pages, also where the shortcut must not apply: after the
 * dictionary is cleared (a new column chunk, a fallback to plain encoding) and for a value whose
 * buffer is reused.
 */
class RowValuesWritersTest {
  private static final int MAX_DICTIONARY = 1024 * 1024;

  private final ValuesWriter[] writers = {
    new DictionaryValuesWriter.PlainBinaryDictionaryValuesWriter(
        MAX_DICTIONARY,
        Encoding.PLAIN_DICTIONARY,
        Encoding.PLAIN_DICTIONARY,
        new HeapByteBufferAllocator()),
    new RowValuesWriters.RepeatedBinaryDictionaryWriter(
        MAX_DICTIONARY,
        Encoding.PLAIN_DICTIONARY,
        Encoding.PLAIN_DICTIONARY,
        new HeapByteBufferAllocator())
  };

  private final Binary a = Binary.fromString("arn:aws:ivs:us-west-2:123456789012:channel/aaaa");
  private final Binary b = Binary.fromString("arn:aws:ivs:us-west-2:123456789012:channel/bbbb");
  private final Binary c = Binary.fromString("c");

  @Test
  void sameIdsAndPagesAcrossANewColumnChunk() throws IOException {
    write(a, a, a, b, b, a, c, c, b);
    samePage();
    sameDictionaryPage();
    for (ValuesWriter w : writers) {
      w.reset();
      w.resetDictionary();
    }
    // b was the last value before the reset: it is new to the cleared dictionary
    write(b, b, a, a, c, b);
    samePage();
    sameDictionaryPage();
  }

  @Test
  void sameValuesAfterFallingBackInTheFirstPage() throws IOException {
    write(a, a, b, c, c);
    PlainValuesWriter[] plain = new PlainValuesWriter[writers.length];
    for (int i = 0; i < writers.length; i++) {
      plain[i] = new PlainValuesWriter(64, MAX_DICTIONARY, new HeapByteBufferAllocator());
      ((DictionaryValuesWriter) writers[i]).fallBackAllValuesTo(plain[i]);
    }
    assertArrayEquals(plain[0].getBytes().toByteArray(), plain[1].getBytes().toByteArray());
    // the dictionary was dropped with the values: c, last before, is new again
    write(c, c, a);
    samePage();
    sameDictionaryPage();
  }

  @Test
  void aReusedBufferIsLookedUpEachTime() throws IOException {
    byte[] buffer = "first".getBytes(StandardCharsets.UTF_8);
    Binary reused = Binary.fromReusedByteArray(buffer);
    write(a, reused);
    System.arraycopy("other".getBytes(StandardCharsets.UTF_8), 0, buffer, 0, buffer.length);
    write(reused, reused, a, reused);
    samePage();
    sameDictionaryPage();
    assertEquals(
        3,
        ((DictionaryValuesWriter.PlainBinaryDictionaryValuesWriter) writers[1])
            .getDictionarySize());
  }

  @Test
  void theFactoryGivesParquetsWritersButForStringDictionaries() {
    MessageType schema =
        Types.buildMessage()
            .optional(PrimitiveTypeName.BINARY)
            .named("s")
            .optional(PrimitiveTypeName.INT64)
            .named("n")
            .named("m");
    ParquetProperties props = ParquetRows.properties();
    ParquetProperties noDictionary =
        ParquetProperties.builder()
            .withValuesWriterFactory(new RowValuesWriters())
            .withDictionaryEncoding(false)
            .build();
    List<ColumnDescriptor> columns = schema.getColumns();
    ValuesWriter s = props.getValuesWriterFactory().newValuesWriter(columns.get(0));
    assertSame(
        RowValuesWriters.RepeatedBinaryDictionaryWriter.class,
        ((FallbackValuesWriter<?, ?>) s).initialWriter.getClass());
    assertSame(PlainValuesWriter.class, ((FallbackValuesWriter<?, ?>) s).fallBackWriter.getClass());
    ValuesWriter n = props.getValuesWriterFactory().newValuesWriter(columns.get(1));
    assertSame(
        DictionaryValuesWriter.PlainLongDictionaryValuesWriter.class,
        ((FallbackValuesWriter<?, ?>) n).initialWriter.getClass());
    assertSame(
        PlainValuesWriter.class,
        noDictionary.getValuesWriterFactory().newValuesWriter(columns.get(0)).getClass());
  }

  private void write(Binary... values) {
    for (ValuesWriter w : writers) {
      for (Binary v : values) {
        w.writeBytes(v);
      }
    }
  }

  private void samePage() throws IOException {
    assertArrayEquals(writers[0].getBytes().toByteArray(), writers[1].getBytes().toByteArray());
  }

  private void sameDictionaryPage() throws IOException {
    assertArrayEquals(
        writers[0].toDictPageAndClose().getBytes().toByteArray(),
        writers[1].toDictPageAndClose().getBytes().toByteArray());
  }
}
