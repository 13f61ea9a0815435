package io.ivsanalytics.flatten;

import io.ivsanalytics.model.Schemas;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The flatten stage's intermediate record: one row per parsed response (or per malformed input),
 * holding everything the five tables need so that each input is parsed exactly once.
 *
 * <p>Columns: every {@link Schemas#SESSIONS} column, then {@code tracks} (array of the {@link
 * Schemas#TRACKS} columns that are not copied from the session), {@code events} (same for {@link
 * Schemas#EVENTS}), {@code recording} (the {@link Schemas#RECORDING_SETTINGS} columns, null when
 * the session has no recording configuration), {@code error} (the {@link Schemas#FETCH_ERRORS}
 * columns describing a malformed input, null for a good one), {@code source} (file name) and {@code
 * record_id} (unique per input record within one run: file number and line). All column types come
 * from {@link Schemas}; nothing is declared twice.
 */
public final class RecordSchema {
  /** Columns of tracks that come from the owning session. */
  static final List<String> TRACK_FROM_SESSION =
      List.of("channel_arn", "stream_id", "start_time", "channel_type", Schemas.DT);

  /** Columns of events that come from the owning session. */
  static final List<String> EVENT_FROM_SESSION =
      List.of("channel_arn", "stream_id", "channel_type", Schemas.DT);

  /** Columns of recording_settings that come from the owning session. */
  static final List<String> RECORDING_FROM_SESSION =
      List.of("channel_arn", "stream_id", Schemas.DT);

  /** Columns of fetch_errors that come from the record (session columns) or the run (dt). */
  static final List<String> ERROR_FROM_RECORD =
      List.of("channel_arn", "stream_id", "fetched_at", Schemas.DT);

  public static final String TRACKS = "tracks";
  public static final String EVENTS = "events";
  public static final String RECORDING = "recording";
  public static final String ERROR = "error";
  public static final String SOURCE = "source";
  public static final String RECORD_ID = "record_id";

  public static final StructType TRACK = without(Schemas.TRACKS, TRACK_FROM_SESSION);
  public static final StructType EVENT = without(Schemas.EVENTS, EVENT_FROM_SESSION);
  public static final StructType RECORDING_STRUCT =
      without(Schemas.RECORDING_SETTINGS, RECORDING_FROM_SESSION);
  public static final StructType ERROR_STRUCT = without(Schemas.FETCH_ERRORS, ERROR_FROM_RECORD);

  public static final StructType RECORD =
      new StructType(
          concat(
              Schemas.SESSIONS.fields(),
              new StructField[] {
                DataTypes.createStructField(TRACKS, DataTypes.createArrayType(TRACK, false), true),
                DataTypes.createStructField(EVENTS, DataTypes.createArrayType(EVENT, false), true),
                DataTypes.createStructField(RECORDING, RECORDING_STRUCT, true),
                DataTypes.createStructField(ERROR, ERROR_STRUCT, true),
                DataTypes.createStructField(SOURCE, DataTypes.StringType, true),
                DataTypes.createStructField(RECORD_ID, DataTypes.LongType, false)
              }));

  /** A map column's form in {@link #ROW}: its entries as key/value structs. */
  public static final StructType MAP_ENTRY =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("key", DataTypes.StringType, false),
            DataTypes.createStructField("value", DataTypes.StringType, true)
          });

  /**
   * {@link #RECORD} with every map column as an array of {@link #MAP_ENTRY}: the schema of {@link
   * ParsedRecord#toRow()}, which Spark's public Row encoder accepts on every Spark line.
   */
  public static final StructType ROW = (StructType) entriesForMaps(RECORD);

  private static DataType entriesForMaps(DataType t) {
    if (t instanceof MapType) {
      return DataTypes.createArrayType(MAP_ENTRY, false);
    }
    if (t instanceof ArrayType a) {
      return DataTypes.createArrayType(entriesForMaps(a.elementType()), a.containsNull());
    }
    if (t instanceof StructType s) {
      return new StructType(
          Arrays.stream(s.fields())
              .map(
                  f ->
                      DataTypes.createStructField(
                          f.name(), entriesForMaps(f.dataType()), f.nullable()))
              .toArray(StructField[]::new));
    }
    return t;
  }

  private static StructType without(StructType s, List<String> names) {
    Set<String> drop = Set.copyOf(names);
    for (String n : names) {
      s.fieldIndex(n); // fails fast if Schemas renamed a column
    }
    return new StructType(
        Arrays.stream(s.fields())
            .filter(f -> !drop.contains(f.name()))
            .toArray(StructField[]::new));
  }

  private static StructField[] concat(StructField[] a, StructField[] b) {
    StructField[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private RecordSchema() {}
}
