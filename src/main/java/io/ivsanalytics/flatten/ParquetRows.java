package io.ivsanalytics.flatten;

import java.io.IOException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes rows of plain Java values ({@link ParsedRecord}'s forms: {@code Object[]} structs and
 * lists, {@link Map}, {@link Timestamp}) to a Parquet file through parquet-mr's public writer API,
 * producing the file a Spark DataFrame write of the same {@link StructType} produces: message
 * {@code spark_schema}, every column optional, the standard three-level LIST and MAP layouts,
 * timestamps as {@code INT64 TIMESTAMP(MILLIS, true)}, and the footer keys Spark's reader uses
 * ({@code org.apache.spark.version}, {@code org.apache.spark.sql.parquet.row.metadata} = the
 * schema's JSON). Only API present in parquet-mr 1.13 and 1.15 (Spark 3.5 and 4.0) is used.
 */
final class ParquetRows {
  static final String SPARK_VERSION_KEY = "org.apache.spark.version";
  static final String SPARK_ROW_METADATA_KEY = "org.apache.spark.sql.parquet.row.metadata";
  private static final Pattern SHORT_VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");

  /** What every file of a run shares: codec and the Spark version named in the footer. */
  record Settings(String codec, String sparkVersion) implements java.io.Serializable {
    /** From the session's {@code spark.sql.parquet.compression.codec} and version. */
    static Settings of(org.apache.spark.sql.SparkSession spark) {
      Matcher m = SHORT_VERSION.matcher(spark.version());
      return new Settings(
          spark
              .conf()
              .get("spark.sql.parquet.compression.codec", "snappy")
              .toLowerCase(Locale.ROOT),
          m.find() ? m.group() : spark.version());
    }

    CompressionCodecName codecName() {
      return switch (codec) {
        case "none", "uncompressed" -> CompressionCodecName.UNCOMPRESSED;
        default -> CompressionCodecName.valueOf(codec.toUpperCase(Locale.ROOT));
      };
    }

    /** The file name ending Spark gives Parquet files of this codec. */
    String extension() {
      return switch (codec) {
        case "none", "uncompressed" -> ".parquet";
        case "zstd" -> ".zstd.parquet";
        case "gzip" -> ".gz.parquet";
        default -> "." + codec + ".parquet";
      };
    }
  }

  /**
   * Opens a writer of {@code schema} rows ({@code Object[]} in its field order) at {@code file},
   * replacing any file there, with parquet-mr's default writer settings (those of {@link
   * org.apache.parquet.hadoop.ParquetWriter}: 128 MB row groups, 1 MB pages, dictionary encoding,
   * format v1).
   */
  static RowFileWriter open(Configuration conf, Path file, StructType schema, Settings s)
      throws IOException {
    return new RowFileWriter(
        conf,
        file,
        writeSupport(schema, s.sparkVersion()),
        s.codecName(),
        properties(),
        ParquetWriter.DEFAULT_BLOCK_SIZE);
  }

  /**
   * parquet-mr's default writer properties, with parquet's values writers except for string
   * dictionaries that skip the lookup of a value repeated as one instance ({@link
   * RowValuesWriters}); one per file.
   */
  static ParquetProperties properties() {
    return ParquetProperties.builder().withValuesWriterFactory(new RowValuesWriters()).build();
  }

  /** Writes {@code schema} rows, with Spark's footer keys naming {@code sparkVersion}. */
  static WriteSupport<Object[]> writeSupport(StructType schema, String sparkVersion) {
    return new RowWriteSupport(schema, sparkVersion);
  }

  /** The Parquet schema Spark writes for {@code schema} (non-legacy format). */
  static MessageType messageType(StructType schema) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    for (StructField f : schema.fields()) {
      b.addField(field(f.name(), f.dataType(), f.nullable()));
    }
    return b.named("spark_schema");
  }

  private static Type field(String name, DataType t, boolean nullable) {
    Type.Repetition rep = nullable ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
    if (t.equals(DataTypes.StringType)) {
      return Types.primitive(PrimitiveTypeName.BINARY, rep)
          .as(LogicalTypeAnnotation.stringType())
          .named(name);
    }
    if (t.equals(DataTypes.IntegerType)) {
      return Types.primitive(PrimitiveTypeName.INT32, rep).named(name);
    }
    if (t.equals(DataTypes.LongType)) {
      return Types.primitive(PrimitiveTypeName.INT64, rep).named(name);
    }
    if (t.equals(DataTypes.BooleanType)) {
      return Types.primitive(PrimitiveTypeName.BOOLEAN, rep).named(name);
    }
    if (t.equals(DataTypes.TimestampType)) {
      return Types.primitive(PrimitiveTypeName.INT64, rep)
          .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS))
          .named(name);
    }
    if (t instanceof ArrayType a) {
      return Types.buildGroup(rep)
          .as(LogicalTypeAnnotation.listType())
          .addField(
              Types.repeatedGroup()
                  .addField(field("element", a.elementType(), a.containsNull()))
                  .named("list"))
          .named(name);
    }
    if (t instanceof MapType m) {
      return Types.buildGroup(rep)
          .as(LogicalTypeAnnotation.mapType())
          .addField(
              Types.repeatedGroup()
                  .addField(field("key", m.keyType(), false))
                  .addField(field("value", m.valueType(), m.valueContainsNull()))
                  .named("key_value"))
          .named(name);
    }
    if (t instanceof StructType s) {
      Types.GroupBuilder<org.apache.parquet.schema.GroupType> g = Types.buildGroup(rep);
      for (StructField f : s.fields()) {
        g.addField(field(f.name(), f.dataType(), f.nullable()));
      }
      return g.named(name);
    }
    throw new IllegalArgumentException("no Parquet type for " + t);
  }

  /** Writes one {@code Object[]} row per record, field by field, as Spark's writer does. */
  private static final class RowWriteSupport extends WriteSupport<Object[]> {
    private interface FieldWriter {
      void write(RecordConsumer c, Object v);
    }

    /**
     * Writes a string column's values as UTF-8, encoding a run of the same {@link String} instance
     * (a session's strings on each of its child rows) once and passing the one {@link Binary}
     * again, which the column's dictionary ({@link RowValuesWriters}) then recognizes without a
     * lookup. One per column of a file's write support, as the file is written by one thread.
     */
    /**
     * A string column: the same String instance as one of the recent values gets that value's
     * {@link Binary} instance again, so it is encoded to UTF-8 once and the column's dictionary
     * finds it by identity ({@link RowValuesWriters}). Repeats are a session's strings on its child
     * rows and the parser's shared instances of enumerated values ({@link JsonFields#term}).
     */
    private static final class StringWriter implements FieldWriter {
      private final String[] strings = new String[RowValuesWriters.RECENT];
      private final Binary[] binaries = new Binary[RowValuesWriters.RECENT];

      @Override
      public void write(RecordConsumer c, Object v) {
        String s = (String) v;
        int slot = System.identityHashCode(s) & (RowValuesWriters.RECENT - 1);
        if (strings[slot] != s) {
          binaries[slot] = Binary.fromString(s);
          strings[slot] = s;
        }
        c.addBinary(binaries[slot]);
      }
    }

    private final StructType schema;
    private final String sparkVersion;
    private final FieldWriter[] writers;
    private RecordConsumer consumer;

    RowWriteSupport(StructType schema, String sparkVersion) {
      this.schema = schema;
      this.sparkVersion = sparkVersion;
      this.writers = writers(schema);
    }

    @Override
    public WriteContext init(Configuration configuration) {
      Map<String, String> meta = new HashMap<>();
      meta.put(SPARK_VERSION_KEY, sparkVersion);
      meta.put(SPARK_ROW_METADATA_KEY, schema.json());
      return new WriteContext(messageType(schema), meta);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(Object[] row) {
      consumer.startMessage();
      fields(consumer, schema, writers, row);
      consumer.endMessage();
    }

    private static void fields(RecordConsumer c, StructType s, FieldWriter[] w, Object[] row) {
      for (int i = 0; i < w.length; i++) {
        Object v = row[i];
        if (v != null) {
          String name = s.fields()[i].name();
          c.startField(name, i);
          w[i].write(c, v);
          c.endField(name, i);
        }
      }
    }

    private static FieldWriter[] writers(StructType s) {
      FieldWriter[] w = new FieldWriter[s.size()];
      for (int i = 0; i < w.length; i++) {
        w[i] = writer(s.fields()[i].dataType());
      }
      return w;
    }

    private static FieldWriter writer(DataType t) {
      if (t.equals(DataTypes.StringType)) {
        return new StringWriter();
      }
      if (t.equals(DataTypes.IntegerType)) {
        return (c, v) -> c.addInteger((Integer) v);
      }
      if (t.equals(DataTypes.LongType)) {
        return (c, v) -> c.addLong((Long) v);
      }
      if (t.equals(DataTypes.BooleanType)) {
        return (c, v) -> c.addBoolean((Boolean) v);
      }
      if (t.equals(DataTypes.TimestampType)) {
        return (c, v) -> c.addLong(((Timestamp) v).getTime());
      }
      if (t instanceof ArrayType a) {
        FieldWriter element = writer(a.elementType());
        return (c, v) -> {
          Object[] items = (Object[]) v;
          c.startGroup();
          if (items.length > 0) {
            c.startField("list", 0);
            for (Object item : items) {
              c.startGroup();
              if (item != null) {
                c.startField("element", 0);
                element.write(c, item);
                c.endField("element", 0);
              }
              c.endGroup();
            }
            c.endField("list", 0);
          }
          c.endGroup();
        };
      }
      if (t instanceof MapType m) {
        FieldWriter key = writer(m.keyType());
        FieldWriter value = writer(m.valueType());
        return (c, v) -> {
          Map<?, ?> map = (Map<?, ?>) v;
          c.startGroup();
          if (!map.isEmpty()) {
            c.startField("key_value", 0);
            for (Map.Entry<?, ?> e : map.entrySet()) {
              c.startGroup();
              c.startField("key", 0);
              key.write(c, e.getKey());
              c.endField("key", 0);
              if (e.getValue() != null) {
                c.startField("value", 1);
                value.write(c, e.getValue());
                c.endField("value", 1);
              }
              c.endGroup();
            }
            c.endField("key_value", 0);
          }
          c.endGroup();
        };
      }
      if (t instanceof StructType s) {
        FieldWriter[] nested = writers(s);
        return (c, v) -> {
          c.startGroup();
          fields(c, s, nested, (Object[]) v);
          c.endGroup();
        };
      }
      throw new IllegalArgumentException("no Parquet writer for " + t);
    }
  }

  private ParquetRows() {}
}
