-- One row per id that could not be fetched or per malformed response. dt = run date (UTC).
-- Replace YOUR-BUCKET with the lake bucket. Partition projection: no MSCK REPAIR / ADD PARTITION needed.
CREATE EXTERNAL TABLE IF NOT EXISTS fetch_errors (
  `channel_arn` string,
  `stream_id`   string,
  `error_code`  string,
  `http_status` int,
  `message`     string,
  `attempts`    int,
  `fetched_at`  timestamp
)
PARTITIONED BY (`dt` string)
STORED AS PARQUET
LOCATION 's3://YOUR-BUCKET/lake/fetch_errors/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2020-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://YOUR-BUCKET/lake/fetch_errors/dt=${dt}/'
);
