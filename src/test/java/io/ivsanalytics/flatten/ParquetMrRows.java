package io.ivsanalytics.flatten;

import java.sql.Timestamp;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;

/**
 * The reference for {@link RowFileWriter}: parquet-mr's own {@link ParquetWriter} with a record
 * write support that passes each row field by field through parquet's record consumer, as Spark's
 * writer does, with the schema and footer keys of {@link ParquetRows}.
 */
final class ParquetMrRows {
  /** Writes one {@code Object[]} row per record, field by field, as Spark's writer does. */
  static final class RowWriteSupport extends WriteSupport<Object[]> {
    private interface FieldWriter {
      void write(RecordConsumer c, Object v);
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
      return new WriteContext(
          ParquetRows.messageType(schema), ParquetRows.footer(schema, sparkVersion));
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
        return (c, v) -> c.addBinary(Binary.fromString((String) v));
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

  /** parquet's writer builder for {@link RowWriteSupport} rows. */
  static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
    private final WriteSupport<Object[]> support;

    Builder(OutputFile file, StructType schema, String sparkVersion) {
      super(file);
      this.support = new RowWriteSupport(schema, sparkVersion);
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
      return support;
    }
  }

  private ParquetMrRows() {}
}
