package io.ivsanalytics.flatten;

import java.io.Serializable;
import java.sql.Timestamp;
import java.util.Iterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayBasedMapData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Converts the parser's rows into Spark's internal row format directly, one converter per column
 * built once from the schema. Spark's generic Row encoder costs several times the JSON parse per
 * record (Scala collections, and a calendar rebase for every timestamp); the values here are
 * already in the form the lake stores: timestamps are whole milliseconds since the epoch, which
 * the proleptic Gregorian calendar and the rebase agree on for any date after 1900.
 */
final class InternalRows implements Serializable {
  private interface Conv extends Serializable {
    Object apply(Object v);
  }

  private final Conv[] fields;

  InternalRows(StructType schema) {
    fields = new Conv[schema.size()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = conv(schema.fields()[i].dataType());
    }
  }

  InternalRow convert(Row r) {
    Object[] out = new Object[fields.length];
    for (int i = 0; i < out.length; i++) {
      Object v = r.get(i);
      out[i] = v == null ? null : fields[i].apply(v);
    }
    return new GenericInternalRow(out);
  }

  Iterator<InternalRow> convert(Iterator<Row> rows) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public InternalRow next() {
        return convert(rows.next());
      }
    };
  }

  private static Conv conv(DataType t) {
    if (t.equals(DataTypes.StringType)) {
      return v -> UTF8String.fromString((String) v);
    }
    if (t.equals(DataTypes.TimestampType)) {
      return v -> Math.multiplyExact(((Timestamp) v).getTime(), 1000L);
    }
    if (t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType) || t.equals(DataTypes.BooleanType)) {
      return v -> v;
    }
    if (t instanceof StructType s) {
      InternalRows nested = new InternalRows(s);
      return v -> nested.convert((Row) v);
    }
    if (t instanceof ArrayType a) {
      Conv element = conv(a.elementType());
      return v -> new GenericArrayData(elements((scala.collection.Seq<?>) v, element));
    }
    if (t instanceof MapType m) {
      Conv key = conv(m.keyType());
      Conv value = conv(m.valueType());
      return v -> {
        scala.collection.Map<?, ?> map = (scala.collection.Map<?, ?>) v;
        Object[] keys = new Object[map.size()];
        Object[] values = new Object[map.size()];
        int i = 0;
        for (scala.collection.Iterator<? extends scala.Tuple2<?, ?>> it = map.iterator(); it.hasNext(); i++) {
          scala.Tuple2<?, ?> e = it.next();
          keys[i] = key.apply(e._1());
          values[i] = e._2() == null ? null : value.apply(e._2());
        }
        return new ArrayBasedMapData(new GenericArrayData(keys), new GenericArrayData(values));
      };
    }
    throw new IllegalArgumentException("no internal conversion for " + t);
  }

  private static Object[] elements(scala.collection.Seq<?> seq, Conv element) {
    Object[] out = new Object[seq.size()];
    for (int i = 0; i < out.length; i++) {
      Object v = seq.apply(i);
      out[i] = v == null ? null : element.apply(v);
    }
    return out;
  }
}
