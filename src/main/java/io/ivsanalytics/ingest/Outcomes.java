package io.ivsanalytics.ingest;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What the executors report back, one row per requested id (and per discovered session), with that
 * id's exact call counts so the summary needs no accumulators. Internal to the fetch stage; the
 * lake tables are in {@link io.ivsanalytics.model.Schemas}.
 */
final class Outcomes {
  static final String OP_GET = "GetStreamSession";
  static final String OP_LIST = "ListStreamSessions";

  /** A session fetched and archived. */
  static final String FETCHED = "fetched";

  /** The id could not be fetched (or its channel not listed): a fetch_errors row. */
  static final String ERROR = "error";

  /** A channel whose sessions were listed. */
  static final String LISTED = "listed";

  /** A session found by listing a channel, to be fetched next. */
  static final String DISCOVERED = "discovered";

  static final StructType SCHEMA =
      DataTypes.createStructType(
          new org.apache.spark.sql.types.StructField[] {
            DataTypes.createStructField("op", StringType, false),
            DataTypes.createStructField("channel_arn", StringType, false),
            DataTypes.createStructField("stream_id", StringType, true),
            DataTypes.createStructField("account_region", StringType, false),
            DataTypes.createStructField("status", StringType, false),
            DataTypes.createStructField("error_code", StringType, true),
            DataTypes.createStructField("http_status", IntegerType, true),
            DataTypes.createStructField("message", StringType, true),
            DataTypes.createStructField("attempts", IntegerType, false),
            DataTypes.createStructField("throttles", IntegerType, false),
            DataTypes.createStructField("started_ms", LongType, false),
            DataTypes.createStructField("ended_ms", LongType, false),
            DataTypes.createStructField("fetched_at", TimestampType, true),
            DataTypes.createStructField("session_start", TimestampType, true),
            DataTypes.createStructField("session_ended", BooleanType, true),
          });

  static Row row(
      String op,
      String channelArn,
      String streamId,
      String accountRegion,
      String status,
      RetryingCaller.Result<?> r,
      Instant fetchedAt,
      Instant sessionStart,
      Boolean ended) {
    CallFailure f = r == null ? null : r.failure();
    return RowFactory.create(
        op,
        channelArn,
        streamId,
        accountRegion,
        status,
        f == null ? null : f.code(),
        f == null ? null : f.httpStatus(),
        f == null ? null : f.message(),
        r == null ? 0 : r.attempts(),
        r == null ? 0 : r.throttles(),
        r == null ? 0L : r.startedMillis(),
        r == null ? 0L : r.endedMillis(),
        fetchedAt == null ? null : Timestamp.from(fetchedAt),
        sessionStart == null ? null : Timestamp.from(sessionStart),
        ended);
  }

  private Outcomes() {}
}
