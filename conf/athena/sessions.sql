-- One row per IVS stream session (GetStreamSession). dt = UTC date of start_time.
-- Replace YOUR-BUCKET with the lake bucket. Partition projection: no MSCK REPAIR / ADD PARTITION needed.
CREATE EXTERNAL TABLE IF NOT EXISTS sessions (
  `channel_arn`                     string,
  `account_id`                      string,
  `region`                          string,
  `channel_id`                      string,
  `stream_id`                       string,
  `start_time`                      timestamp,
  `end_time`                        timestamp,
  `duration_seconds`                bigint,
  `is_live`                         boolean,
  `channel_name`                    string,
  `channel_type`                    string,
  `latency_mode`                    string,
  `container_format`                string,
  `preset`                          string,
  `authorized`                      boolean,
  `insecure_ingest`                 boolean,
  `ingest_endpoint`                 string,
  `playback_url`                    string,
  `srt_endpoint`                    string,
  `playback_restriction_policy_arn` string,
  `recording_configuration_arn`     string,
  `ad_configuration_arn`            string,
  `multitrack_enabled`              boolean,
  `multitrack_policy`               string,
  `multitrack_maximum_resolution`   string,
  `channel_tags`                    map<string,string>,
  `video_track_count`               int,
  `audio_track_count`               int,
  `event_count`                     int,
  `events_truncated`                boolean,
  `fetched_at`                      timestamp
)
PARTITIONED BY (`dt` string)
STORED AS PARQUET
LOCATION 's3://YOUR-BUCKET/lake/sessions/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2020-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://YOUR-BUCKET/lake/sessions/dt=${dt}/'
);
