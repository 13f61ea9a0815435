package io.ivsanalytics.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The obvious way to flatten the raw archive, as the comparison point of {@code bench-lake}: {@code
 * spark.read.json} with schema inference (one full pass), then one select/explode per table, each
 * written as Parquet partitioned by {@code dt} (each table reads the JSON again). Same four tables
 * and columns as the flatten stage, same track rule (multitrack lists, else the deprecated single
 * configuration); no dedup (the synthetic archive has no duplicate sessions), no malformed-input
 * handling, no tuning.
 */
public final class NaiveFlatten {

  public static void run(SparkSession spark, String rawDir, String lakeDir) {
    Dataset<Row> s =
        spark
            .read()
            .json(rawDir)
            .select(col("streamSession.*"), col("fetchedAt"))
            .withColumn("dt", expr("date_format(to_timestamp(startTime), 'yyyy-MM-dd')"));

    write(
        s.selectExpr(
            "channel.arn as channel_arn",
            "split(channel.arn, ':')[4] as account_id",
            "split(channel.arn, ':')[3] as region",
            "split(split(channel.arn, ':')[5], '/')[1] as channel_id",
            "streamId as stream_id",
            "to_timestamp(startTime) as start_time",
            "to_timestamp(endTime) as end_time",
            "unix_timestamp(to_timestamp(endTime)) - unix_timestamp(to_timestamp(startTime)) as"
                + " duration_seconds",
            "endTime is null as is_live",
            "channel.name as channel_name",
            "channel.type as channel_type",
            "channel.latencyMode as latency_mode",
            "channel.containerFormat as container_format",
            "nullif(channel.preset, '') as preset",
            "channel.authorized as authorized",
            "channel.insecureIngest as insecure_ingest",
            "channel.ingestEndpoint as ingest_endpoint",
            "channel.playbackUrl as playback_url",
            "channel.srt.endpoint as srt_endpoint",
            "nullif(channel.playbackRestrictionPolicyArn, '') as playback_restriction_policy_arn",
            "nullif(channel.recordingConfigurationArn, '') as recording_configuration_arn",
            "nullif(channel.adConfigurationArn, '') as ad_configuration_arn",
            "channel.multitrackInputConfiguration.enabled as multitrack_enabled",
            "channel.multitrackInputConfiguration.policy as multitrack_policy",
            "channel.multitrackInputConfiguration.maximumResolution as"
                + " multitrack_maximum_resolution",
            "from_json(to_json(channel.tags), 'map<string,string>') as channel_tags",
            "coalesce(size(ingestConfigurations.videoConfigurations), 0) as video_track_count",
            "coalesce(size(ingestConfigurations.audioConfigurations), 0) as audio_track_count",
            "size(truncatedEvents) as event_count",
            "size(truncatedEvents) >= 500 as events_truncated",
            "to_timestamp(fetchedAt) as fetched_at",
            "dt"),
        Table.SESSIONS,
        lakeDir);

    String video =
        "named_struct('media', 'video', 'track', v.track, 'codec', v.codec, 'encoder', v.encoder,"
            + " 'profile', coalesce(v.profile, v.avcProfile), 'level', coalesce(v.level,"
            + " v.avcLevel), 'target_bitrate', v.targetBitrate, 'target_framerate',"
            + " v.targetFramerate, 'video_width', v.videoWidth, 'video_height', v.videoHeight,"
            + " 'audio_channels', cast(null as bigint), 'sample_rate', cast(null as bigint))";
    String audio =
        "named_struct('media', 'audio', 'track', a.track, 'codec', a.codec, 'encoder', cast(null as"
            + " string), 'profile', cast(null as string), 'level', cast(null as string),"
            + " 'target_bitrate', a.targetBitrate, 'target_framerate', cast(null as bigint),"
            + " 'video_width', cast(null as bigint), 'video_height', cast(null as bigint),"
            + " 'audio_channels', a.channels, 'sample_rate', a.sampleRate)";
    String multi =
        "concat(coalesce(transform(ingestConfigurations.videoConfigurations, v -> "
            + video
            + "), array()), "
            + "coalesce(transform(ingestConfigurations.audioConfigurations, a -> "
            + audio
            + "), array()))";
    String legacy =
        "concat(if(ingestConfiguration.video is null, array(),"
            + " array(transform(array(ingestConfiguration.video), v -> "
            + video
            + ")[0])), if(ingestConfiguration.audio is null, array(),"
            + " array(transform(array(ingestConfiguration.audio), a -> "
            + audio
            + ")[0])))";
    write(
        s.selectExpr(
                "channel.arn as channel_arn",
                "streamId as stream_id",
                "to_timestamp(startTime) as start_time",
                "channel.type as channel_type",
                "dt",
                "if(size(" + multi + ") > 0, " + multi + ", " + legacy + ") as t")
            .selectExpr(
                "channel_arn", "stream_id", "start_time", "channel_type", "dt", "posexplode(t)")
            .selectExpr(
                "channel_arn",
                "stream_id",
                "start_time",
                "channel_type",
                "col.media as media",
                "coalesce(col.track, concat('Track', pos)) as track",
                "pos as track_index",
                "col.codec as codec",
                "case when lower(col.codec) like 'avc1%' then 'H.264' when lower(col.codec) like"
                    + " 'hvc1%' or lower(col.codec) like 'hev1%' then 'H.265' when lower(col.codec)"
                    + " like 'av01%' then 'AV1' when lower(col.codec) = 'mp4a.40.2' then 'AAC-LC'"
                    + " when lower(col.codec) = 'mp4a.40.5' then 'HE-AAC' when lower(col.codec) ="
                    + " 'opus' then 'Opus' else col.codec end as codec_family",
                "col.encoder as encoder",
                "col.profile as profile",
                "col.level as level",
                "col.target_bitrate as target_bitrate",
                "cast(col.target_framerate as int) as target_framerate",
                "cast(col.video_width as int) as video_width",
                "cast(col.video_height as int) as video_height",
                "cast(col.audio_channels as int) as audio_channels",
                "cast(col.sample_rate as int) as sample_rate",
                "dt"),
        Table.TRACKS,
        lakeDir);

    write(
        s.selectExpr(
                "channel.arn as channel_arn",
                "streamId as stream_id",
                "channel.type as channel_type",
                "dt",
                "posexplode(truncatedEvents)")
            .selectExpr(
                "channel_arn",
                "stream_id",
                "channel_type",
                "pos as event_index",
                "to_timestamp(col.eventTime) as event_time",
                "col.name as name",
                "col.type as type",
                "nullif(col.code, '') as code",
                "dt"),
        Table.EVENTS,
        lakeDir);

    write(
        s.where("recordingConfiguration is not null")
            .selectExpr(
                "channel.arn as channel_arn",
                "streamId as stream_id",
                "recordingConfiguration.arn as recording_configuration_arn",
                "recordingConfiguration.name as recording_configuration_name",
                "recordingConfiguration.state as state",
                "recordingConfiguration.destinationConfiguration.s3.bucketName as s3_bucket",
                "cast(recordingConfiguration.recordingReconnectWindowSeconds as int) as"
                    + " reconnect_window_seconds",
                "recordingConfiguration.renditionConfiguration.renditionSelection as"
                    + " rendition_selection",
                "recordingConfiguration.renditionConfiguration.renditions as renditions",
                "recordingConfiguration.thumbnailConfiguration.recordingMode as"
                    + " thumbnail_recording_mode",
                "recordingConfiguration.thumbnailConfiguration.targetIntervalSeconds as"
                    + " thumbnail_target_interval_seconds",
                "recordingConfiguration.thumbnailConfiguration.resolution as thumbnail_resolution",
                "recordingConfiguration.thumbnailConfiguration.storage as thumbnail_storage",
                "from_json(to_json(recordingConfiguration.tags), 'map<string,string>') as tags",
                "dt"),
        Table.RECORDING_SETTINGS,
        lakeDir);
  }

  private static void write(Dataset<Row> table, Table t, String lakeDir) {
    table.write().mode("overwrite").partitionBy(Schemas.DT).parquet(lakeDir + "/" + t.dirName());
  }

  private NaiveFlatten() {}
}
