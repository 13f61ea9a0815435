-- One row per ingest track of a session (ingestConfigurations, else the deprecated ingestConfiguration). dt = UTC date of the session start.
-- Replace YOUR-BUCKET with the lake bucket. Partition projection: no MSCK REPAIR / ADD PARTITION needed.
CREATE EXTERNAL TABLE IF NOT EXISTS tracks (
  `channel_arn`      string,
  `stream_id`        string,
  `start_time`       timestamp,
  `channel_type`     string,
  `media`            string,
  `track`            string,
  `track_index`      int,
  `codec`            string,
  `codec_family`     string,
  `encoder`          string,
  `profile`          string,
  `level`            string,
  `target_bitrate`   bigint,
  `target_framerate` int,
  `video_width`      int,
  `video_height`     int,
  `audio_channels`   int,
  `sample_rate`      int
)
PARTITIONED BY (`dt` string)
STORED AS PARQUET
LOCATION 's3://YOUR-BUCKET/lake/tracks/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2020-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://YOUR-BUCKET/lake/tracks/dt=${dt}/'
);
