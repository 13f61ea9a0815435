-- One row per truncated event of a session; event_index 0 = most recent. dt = UTC date of the session start.
-- Replace YOUR-BUCKET with the lake bucket. Partition projection: no MSCK REPAIR / ADD PARTITION needed.
CREATE EXTERNAL TABLE IF NOT EXISTS events (
  `channel_arn`  string,
  `stream_id`    string,
  `channel_type` string,
  `event_index`  int,
  `event_time`   timestamp,
  `name`         string,
  `type`         string,
  `code`         string
)
PARTITIONED BY (`dt` string)
STORED AS PARQUET
LOCATION 's3://YOUR-BUCKET/lake/events/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2020-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://YOUR-BUCKET/lake/events/dt=${dt}/'
);
