package io.ivsanalytics.model;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The lake's table schemas, declared once (docs/tables.md). Every writer, reader, the Athena DDL
 * test and the reports take their columns from here. {@code dt} is the Hive partition column
 * (directory {@code dt=YYYY-MM-DD}); it is the last field of every schema and is not stored in the
 * Parquet files themselves.
 */
public final class Schemas {
  public static final String DT = "dt";

  public static final MapType STRING_MAP = DataTypes.createMapType(StringType, StringType, true);
  public static final ArrayType STRING_ARRAY = DataTypes.createArrayType(StringType, true);

  public static final StructType SESSIONS =
      schema(
          f("channel_arn", StringType),
          f("account_id", StringType),
          f("region", StringType),
          f("channel_id", StringType),
          f("stream_id", StringType),
          f("start_time", TimestampType),
          f("end_time", TimestampType),
          f("duration_seconds", LongType),
          f("is_live", BooleanType),
          f("channel_name", StringType),
          f("channel_type", StringType),
          f("latency_mode", StringType),
          f("container_format", StringType),
          f("preset", StringType),
          f("authorized", BooleanType),
          f("insecure_ingest", BooleanType),
          f("ingest_endpoint", StringType),
          f("playback_url", StringType),
          f("srt_endpoint", StringType),
          f("playback_restriction_policy_arn", StringType),
          f("recording_configuration_arn", StringType),
          f("ad_configuration_arn", StringType),
          f("multitrack_enabled", BooleanType),
          f("multitrack_policy", StringType),
          f("multitrack_maximum_resolution", StringType),
          f("channel_tags", STRING_MAP),
          f("video_track_count", IntegerType),
          f("audio_track_count", IntegerType),
          f("event_count", IntegerType),
          f("events_truncated", BooleanType),
          f("fetched_at", TimestampType),
          f(DT, StringType));

  public static final StructType TRACKS =
      schema(
          f("channel_arn", StringType),
          f("stream_id", StringType),
          f("start_time", TimestampType),
          f("channel_type", StringType),
          f("media", StringType),
          f("track", StringType),
          f("track_index", IntegerType),
          f("codec", StringType),
          f("codec_family", StringType),
          f("encoder", StringType),
          f("profile", StringType),
          f("level", StringType),
          f("target_bitrate", LongType),
          f("target_framerate", IntegerType),
          f("video_width", IntegerType),
          f("video_height", IntegerType),
          f("audio_channels", IntegerType),
          f("sample_rate", IntegerType),
          f(DT, StringType));

  public static final StructType EVENTS =
      schema(
          f("channel_arn", StringType),
          f("stream_id", StringType),
          f("channel_type", StringType),
          f("event_index", IntegerType),
          f("event_time", TimestampType),
          f("name", StringType),
          f("type", StringType),
          f("code", StringType),
          f(DT, StringType));

  public static final StructType RECORDING_SETTINGS =
      schema(
          f("channel_arn", StringType),
          f("stream_id", StringType),
          f("recording_configuration_arn", StringType),
          f("recording_configuration_name", StringType),
          f("state", StringType),
          f("s3_bucket", StringType),
          f("reconnect_window_seconds", IntegerType),
          f("rendition_selection", StringType),
          f("renditions", STRING_ARRAY),
          f("thumbnail_recording_mode", StringType),
          f("thumbnail_target_interval_seconds", LongType),
          f("thumbnail_resolution", StringType),
          f("thumbnail_storage", STRING_ARRAY),
          f("tags", STRING_MAP),
          f(DT, StringType));

  public static final StructType FETCH_ERRORS =
      schema(
          f("channel_arn", StringType),
          f("stream_id", StringType),
          f("error_code", StringType),
          f("http_status", IntegerType),
          f("message", StringType),
          f("attempts", IntegerType),
          f("fetched_at", TimestampType),
          f(DT, StringType));

  /** The five lake tables, by directory name under the lake root. */
  public enum Table {
    SESSIONS("sessions"),
    TRACKS("tracks"),
    EVENTS("events"),
    RECORDING_SETTINGS("recording_settings"),
    FETCH_ERRORS("fetch_errors");

    private final String dirName;

    // No Schemas field is read while the enum initialises: Schemas' own initialiser builds
    // TABLES from Table.values(), so either class may be loaded first.
    Table(String dirName) {
      this.dirName = dirName;
    }

    public String dirName() {
      return dirName;
    }

    /** This table's directory under {@code lakeRoot}. */
    public String dir(String lakeRoot) {
      return LakePaths.child(lakeRoot, dirName);
    }

    public StructType schema() {
      return switch (this) {
        case SESSIONS -> Schemas.SESSIONS;
        case TRACKS -> Schemas.TRACKS;
        case EVENTS -> Schemas.EVENTS;
        case RECORDING_SETTINGS -> Schemas.RECORDING_SETTINGS;
        case FETCH_ERRORS -> Schemas.FETCH_ERRORS;
      };
    }

    /** The columns stored in the Parquet files: the schema without the {@code dt} partition. */
    public StructType fileSchema() {
      return withoutDt(schema());
    }
  }

  public static final List<Table> TABLES = List.of(Table.values());

  public static StructType withoutDt(StructType s) {
    return new StructType(
        java.util.Arrays.stream(s.fields())
            .filter(x -> !x.name().equals(DT))
            .toArray(StructField[]::new));
  }

  private static StructField f(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }

  private static StructType schema(StructField... fields) {
    return DataTypes.createStructType(fields);
  }

  private Schemas() {}
}
