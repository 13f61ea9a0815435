-- One row per session that has a recording configuration. dt = UTC date of the session start.
-- Replace YOUR-BUCKET with the lake bucket. Partition projection: no MSCK REPAIR / ADD PARTITION needed.
CREATE EXTERNAL TABLE IF NOT EXISTS recording_settings (
  `channel_arn`                       string,
  `stream_id`                         string,
  `recording_configuration_arn`       string,
  `recording_configuration_name`      string,
  `state`                             string,
  `s3_bucket`                         string,
  `reconnect_window_seconds`          int,
  `rendition_selection`               string,
  `renditions`                        array<string>,
  `thumbnail_recording_mode`          string,
  `thumbnail_target_interval_seconds` bigint,
  `thumbnail_resolution`              string,
  `thumbnail_storage`                 array<string>,
  `tags`                              map<string,string>
)
PARTITIONED BY (`dt` string)
STORED AS PARQUET
LOCATION 's3://YOUR-BUCKET/lake/recording_settings/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2020-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://YOUR-BUCKET/lake/recording_settings/dt=${dt}/'
);
