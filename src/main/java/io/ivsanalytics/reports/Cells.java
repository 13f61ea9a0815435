package io.ivsanalytics.reports;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.sql.vectorized.ColumnarMap;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * One row of a table as a fold reads it, by the fold's own column numbers; a column the scan did
 * not read (the weekly trend's older days read only a few) is null.
 */
interface Cells {
  String string(int column);

  /** A BIGINT or INT cell. */
  Long longValue(int column);

  Integer intValue(int column);

  /** True only for a non-null true. */
  boolean isTrue(int column);

  /** A TIMESTAMP cell as epoch milliseconds. */
  Long epochMillis(int column);

  Map<String, String> stringMap(int column);

  /** The position of each of {@code columns} among {@code read}, -1 when it was not read. */
  static int[] positions(String[] columns, String[] read) {
    int[] out = new int[columns.length];
    for (int i = 0; i < columns.length; i++) {
      out[i] = Arrays.asList(read).indexOf(columns[i]);
    }
    return out;
  }

  /** A Spark {@link Row}. */
  final class OfRow implements Cells {
    private final int[] index;
    Row row;

    OfRow(int[] index) {
      this.index = index;
    }

    private boolean isNull(int c) {
      return index[c] < 0 || row.isNullAt(index[c]);
    }

    @Override
    public String string(int c) {
      return isNull(c) ? null : row.getString(index[c]);
    }

    @Override
    public Long longValue(int c) {
      return isNull(c) ? null : ((Number) row.get(index[c])).longValue();
    }

    @Override
    public Integer intValue(int c) {
      return isNull(c) ? null : ((Number) row.get(index[c])).intValue();
    }

    @Override
    public boolean isTrue(int c) {
      return !isNull(c) && row.getBoolean(index[c]);
    }

    @Override
    public Long epochMillis(int c) {
      if (isNull(c)) {
        return null;
      }
      Object v = row.get(index[c]);
      return v instanceof Instant i ? i.toEpochMilli() : ((Timestamp) v).getTime();
    }

    @Override
    public Map<String, String> stringMap(int c) {
      return isNull(c) ? null : new HashMap<>(row.<String, String>getJavaMap(index[c]));
    }
  }

  /**
   * A row of a Parquet scan's column batch. A dictionary-encoded string column is decoded once per
   * dictionary entry and batch, not once per row, and a constant column (the dt partition) once per
   * batch.
   */
  final class OfBatch implements Cells {
    private final int[] index;
    private final ColumnVector[] vectors;
    private final WritableColumnVector[] dictionaryIds;
    private final String[][] decoded;
    private final UTF8String[] lastRaw;
    private final String[] lastString;
    int rowId;

    OfBatch(int[] index) {
      this.index = index;
      int n = index.length;
      vectors = new ColumnVector[n];
      dictionaryIds = new WritableColumnVector[n];
      decoded = new String[n][];
      lastRaw = new UTF8String[n];
      lastString = new String[n];
    }

    void reset(ColumnarBatch batch) {
      for (int c = 0; c < index.length; c++) {
        ColumnVector v = index[c] < 0 ? null : batch.column(index[c]);
        vectors[c] = v;
        dictionaryIds[c] =
            v instanceof WritableColumnVector w && w.hasDictionary() ? w.getDictionaryIds() : null;
        if (decoded[c] != null) {
          Arrays.fill(decoded[c], null);
        }
        lastRaw[c] = null;
        lastString[c] = null;
      }
    }

    private boolean isNull(int c) {
      return vectors[c] == null || vectors[c].isNullAt(rowId);
    }

    @Override
    public String string(int c) {
      if (isNull(c)) {
        return null;
      }
      WritableColumnVector ids = dictionaryIds[c];
      if (ids == null) {
        UTF8String raw = vectors[c].getUTF8String(rowId);
        if (raw != lastRaw[c]) {
          lastRaw[c] = raw;
          lastString[c] = raw.toString();
        }
        return lastString[c];
      }
      int id = ids.getInt(rowId);
      String[] cache = decoded[c];
      if (cache == null || id >= cache.length) {
        cache = Arrays.copyOf(cache == null ? new String[0] : cache, Math.max(64, id * 2 + 1));
        decoded[c] = cache;
      }
      String s = cache[id];
      if (s == null) {
        s = vectors[c].getUTF8String(rowId).toString();
        cache[id] = s;
      }
      return s;
    }

    @Override
    public Long longValue(int c) {
      if (isNull(c)) {
        return null;
      }
      ColumnVector v = vectors[c];
      return v.dataType() == DataTypes.IntegerType ? v.getInt(rowId) : v.getLong(rowId);
    }

    @Override
    public Integer intValue(int c) {
      return isNull(c) ? null : vectors[c].getInt(rowId);
    }

    @Override
    public boolean isTrue(int c) {
      return !isNull(c) && vectors[c].getBoolean(rowId);
    }

    @Override
    public Long epochMillis(int c) {
      return isNull(c) ? null : Math.floorDiv(vectors[c].getLong(rowId), 1000L);
    }

    @Override
    public Map<String, String> stringMap(int c) {
      if (isNull(c)) {
        return null;
      }
      ColumnarMap m = vectors[c].getMap(rowId);
      Map<String, String> out = new HashMap<>();
      for (int i = 0; i < m.numElements(); i++) {
        out.put(
            m.keyArray().getUTF8String(i).toString(),
            m.valueArray().isNullAt(i) ? null : m.valueArray().getUTF8String(i).toString());
      }
      return out;
    }
  }
}
