package io.ivsanalytics.flatten;

import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
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
 * What a Parquet file of rows of plain Java values ({@link ParsedRecord}'s forms: {@code Object[]}
 * structs and lists, {@link Map}, {@link java.sql.Timestamp}) looks like so that it is the file a
 * Spark DataFrame write of the same {@link StructType} produces ({@link RowFileWriter} writes it):
 * message {@code spark_schema}, every column optional, the standard three-level LIST and MAP
 * layouts, timestamps as {@code INT64 TIMESTAMP(MILLIS, true)}, and the footer keys Spark's reader
 * uses ({@code org.apache.spark.version}, {@code org.apache.spark.sql.parquet.row.metadata} = the
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
        conf, file, schema, s.sparkVersion(), s.codecName(), ParquetWriter.DEFAULT_BLOCK_SIZE);
  }

  /** The footer's key-value metadata Spark writes for {@code schema} rows. */
  static Map<String, String> footer(StructType schema, String sparkVersion) {
    Map<String, String> meta = new HashMap<>();
    meta.put(SPARK_VERSION_KEY, sparkVersion);
    meta.put(SPARK_ROW_METADATA_KEY, schema.json());
    return meta;
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

  private ParquetRows() {}
}
