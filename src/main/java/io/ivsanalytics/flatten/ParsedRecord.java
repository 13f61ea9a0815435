package io.ivsanalytics.flatten;

import java.io.Serializable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;

/**
 * One parsed response (or malformed input) as plain Java values in the {@link RecordSchema#RECORD}
 * layout: strings, {@link Integer}, {@link Long}, {@link Boolean}, {@link Timestamp} (whole
 * milliseconds), nested structs as {@code Object[]} in their struct's field order, lists as {@code
 * Object[]}, maps as {@link Map}. No Spark or Scala type is involved, so the same values feed the
 * Parquet writer ({@link ParquetRows}) and, through {@link #toRow()}, a public Row encoder.
 */
public final class ParsedRecord implements Serializable {
  /** A field whose value did not have the expected form: kept as null or rounded, never fatal. */
  public record OddField(String kind, String value) implements Serializable {}

  private final Object[] values;
  private final List<OddField> odd;

  ParsedRecord(Object[] values, List<OddField> odd) {
    this.values = values;
    this.odd = odd == null ? List.of() : odd;
  }

  /** The values in {@link RecordSchema#RECORD} order. */
  public Object[] values() {
    return values;
  }

  public Object get(String field) {
    return values[RecordSchema.RECORD.fieldIndex(field)];
  }

  public boolean isError() {
    return get(RecordSchema.ERROR) != null;
  }

  /** Fields that were nulled or rounded (see {@link SessionParser}). */
  public List<OddField> oddFields() {
    return odd;
  }

  /** A field of a nested struct value ({@code Object[]} in {@code schema}'s order). */
  public static Object field(Object struct, StructType schema, String name) {
    return ((Object[]) struct)[schema.fieldIndex(name)];
  }

  /**
   * This record as a {@link Row} of {@link RecordSchema#ROW}: the form Spark's public Row encoder
   * takes on every Spark line (lists as Java arrays, maps as arrays of key/value rows).
   */
  public Row toRow() {
    return (Row) toExternal(values, RecordSchema.RECORD);
  }

  private static Object toExternal(Object v, DataType t) {
    if (v == null) {
      return null;
    }
    if (t instanceof StructType s) {
      Object[] in = (Object[]) v;
      Object[] out = new Object[in.length];
      for (int i = 0; i < in.length; i++) {
        out[i] = toExternal(in[i], s.fields()[i].dataType());
      }
      return RowFactory.create(out);
    }
    if (t instanceof ArrayType a) {
      Object[] in = (Object[]) v;
      Object[] out = new Object[in.length];
      for (int i = 0; i < in.length; i++) {
        out[i] = toExternal(in[i], a.elementType());
      }
      return out;
    }
    if (t instanceof MapType) {
      List<Row> entries = new ArrayList<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        entries.add(RowFactory.create(e.getKey(), e.getValue()));
      }
      return entries.toArray();
    }
    return v;
  }
}
