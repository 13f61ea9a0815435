"""The peer of `ivs-analytics flatten` in jobs/bench-lake: a plain DuckDB script that writes the
same four tables (sessions, tracks, events, recording_settings; Parquet, snappy, partitioned by
dt) from the same raw archive, with the same column rules (multitrack lists, else the deprecated
single configuration; empty strings as null). No dedup and no malformed-input handling: the
synthetic archive has neither.

    .venv/bin/python jobs/duckdb-flatten.py RAW_DIR LAKE_DIR
Prints the rows per table as JSON on stdout.
"""
import json
import os
import sys

import duckdb

raw, lake = sys.argv[1], sys.argv[2]
os.makedirs(lake, exist_ok=True)
con = duckdb.connect()
con.execute("SET TimeZone = 'UTC'")
con.execute("SET preserve_insertion_order = false")

video = ("STRUCT(track VARCHAR, codec VARCHAR, encoder VARCHAR, profile VARCHAR, avcProfile VARCHAR, "
         "level VARCHAR, avcLevel VARCHAR, targetBitrate BIGINT, targetFramerate INTEGER, "
         "videoWidth INTEGER, videoHeight INTEGER)")
audio = "STRUCT(track VARCHAR, codec VARCHAR, targetBitrate BIGINT, sampleRate INTEGER, channels INTEGER)"
session = (
    "STRUCT(streamId VARCHAR, startTime VARCHAR, endTime VARCHAR, "
    "channel STRUCT(arn VARCHAR, name VARCHAR, latencyMode VARCHAR, type VARCHAR, "
    "recordingConfigurationArn VARCHAR, ingestEndpoint VARCHAR, playbackUrl VARCHAR, authorized BOOLEAN, "
    "tags MAP(VARCHAR, VARCHAR), insecureIngest BOOLEAN, preset VARCHAR, srt STRUCT(endpoint VARCHAR), "
    "playbackRestrictionPolicyArn VARCHAR, multitrackInputConfiguration STRUCT(enabled BOOLEAN, policy VARCHAR, "
    "maximumResolution VARCHAR), containerFormat VARCHAR, adConfigurationArn VARCHAR), "
    f"ingestConfiguration STRUCT(video {video}, audio {audio}), "
    f"ingestConfigurations STRUCT(videoConfigurations {video}[], audioConfigurations {audio}[]), "
    "recordingConfiguration STRUCT(arn VARCHAR, name VARCHAR, destinationConfiguration STRUCT(s3 STRUCT(bucketName VARCHAR)), "
    "state VARCHAR, tags MAP(VARCHAR, VARCHAR), thumbnailConfiguration STRUCT(recordingMode VARCHAR, "
    "targetIntervalSeconds BIGINT, resolution VARCHAR, storage VARCHAR[]), recordingReconnectWindowSeconds INTEGER, "
    "renditionConfiguration STRUCT(renditionSelection VARCHAR, renditions VARCHAR[])), "
    "truncatedEvents STRUCT(name VARCHAR, type VARCHAR, eventTime VARCHAR, code VARCHAR)[])"
)
con.execute(f"""
CREATE TEMP TABLE s AS
SELECT r.streamSession AS s, r.fetchedAt::TIMESTAMPTZ AS fetched_at,
       r.streamSession.startTime::TIMESTAMPTZ AS start_time,
       strftime(r.streamSession.startTime::TIMESTAMPTZ, '%Y-%m-%d') AS dt
FROM read_json('{raw}/dt=*/*.jsonl.gz', format = 'newline_delimited',
               columns = {{'streamSession': '{session}', 'fetchedAt': 'VARCHAR'}}) r
""")


def copy(table, select):
    con.execute(f"COPY ({select}) TO '{lake}/{table}' "
                "(FORMAT PARQUET, COMPRESSION SNAPPY, PARTITION_BY (dt), OVERWRITE_OR_IGNORE)")


copy("sessions", """
SELECT s.channel.arn AS channel_arn, split_part(s.channel.arn, ':', 5) AS account_id,
  split_part(s.channel.arn, ':', 4) AS region, split_part(split_part(s.channel.arn, ':', 6), '/', 2) AS channel_id,
  s.streamId AS stream_id, start_time, s.endTime::TIMESTAMPTZ AS end_time,
  epoch(s.endTime::TIMESTAMPTZ)::BIGINT - epoch(start_time)::BIGINT AS duration_seconds,
  s.endTime IS NULL AS is_live, s.channel.name AS channel_name, s.channel.type AS channel_type,
  s.channel.latencyMode AS latency_mode, s.channel.containerFormat AS container_format,
  nullif(s.channel.preset, '') AS preset, s.channel.authorized AS authorized,
  s.channel.insecureIngest AS insecure_ingest, s.channel.ingestEndpoint AS ingest_endpoint,
  s.channel.playbackUrl AS playback_url, s.channel.srt.endpoint AS srt_endpoint,
  nullif(s.channel.playbackRestrictionPolicyArn, '') AS playback_restriction_policy_arn,
  nullif(s.channel.recordingConfigurationArn, '') AS recording_configuration_arn,
  nullif(s.channel.adConfigurationArn, '') AS ad_configuration_arn,
  s.channel.multitrackInputConfiguration.enabled AS multitrack_enabled,
  s.channel.multitrackInputConfiguration.policy AS multitrack_policy,
  s.channel.multitrackInputConfiguration.maximumResolution AS multitrack_maximum_resolution,
  s.channel.tags AS channel_tags,
  coalesce(len(s.ingestConfigurations.videoConfigurations), 0)::INTEGER AS video_track_count,
  coalesce(len(s.ingestConfigurations.audioConfigurations), 0)::INTEGER AS audio_track_count,
  coalesce(len(s.truncatedEvents), 0)::INTEGER AS event_count,
  coalesce(len(s.truncatedEvents), 0) >= 500 AS events_truncated, fetched_at, dt
FROM s""")

family = """CASE WHEN lower(codec) LIKE 'avc1%' THEN 'H.264'
  WHEN lower(codec) LIKE 'hvc1%' OR lower(codec) LIKE 'hev1%' THEN 'H.265'
  WHEN lower(codec) LIKE 'av01%' THEN 'AV1' WHEN lower(codec) = 'mp4a.40.2' THEN 'AAC-LC'
  WHEN lower(codec) = 'mp4a.40.5' THEN 'HE-AAC' WHEN lower(codec) = 'opus' THEN 'Opus' ELSE codec END"""
copy("tracks", f"""
WITH t AS (
  SELECT s.channel.arn AS channel_arn, s.streamId AS stream_id, start_time, s.channel.type AS channel_type, dt,
    'video' AS media, unnest(s.ingestConfigurations.videoConfigurations) AS v,
    generate_subscripts(s.ingestConfigurations.videoConfigurations, 1) - 1 AS i, NULL::{audio} AS a
  FROM s
  UNION ALL
  SELECT s.channel.arn, s.streamId, start_time, s.channel.type, dt, 'audio', NULL::{video},
    generate_subscripts(s.ingestConfigurations.audioConfigurations, 1) - 1,
    unnest(s.ingestConfigurations.audioConfigurations)
  FROM s
  UNION ALL
  SELECT s.channel.arn, s.streamId, start_time, s.channel.type, dt, 'video', s.ingestConfiguration.video, 0, NULL
  FROM s WHERE coalesce(len(s.ingestConfigurations.videoConfigurations), 0)
    + coalesce(len(s.ingestConfigurations.audioConfigurations), 0) = 0 AND s.ingestConfiguration.video IS NOT NULL
  UNION ALL
  SELECT s.channel.arn, s.streamId, start_time, s.channel.type, dt, 'audio', NULL, 0, s.ingestConfiguration.audio
  FROM s WHERE coalesce(len(s.ingestConfigurations.videoConfigurations), 0)
    + coalesce(len(s.ingestConfigurations.audioConfigurations), 0) = 0 AND s.ingestConfiguration.audio IS NOT NULL
), c AS (
  SELECT *, coalesce(v.codec, a.codec) AS codec FROM t
)
SELECT channel_arn, stream_id, start_time, channel_type, media,
  coalesce(v.track, a.track, 'Track' || i) AS track, i::INTEGER AS track_index, codec, {family} AS codec_family,
  v.encoder AS encoder, coalesce(v.profile, v.avcProfile) AS profile, coalesce(v.level, v.avcLevel) AS level,
  coalesce(v.targetBitrate, a.targetBitrate) AS target_bitrate, v.targetFramerate AS target_framerate,
  v.videoWidth AS video_width, v.videoHeight AS video_height, a.channels AS audio_channels,
  a.sampleRate AS sample_rate, dt
FROM c""")

copy("events", """
SELECT channel_arn, stream_id, channel_type, (i - 1)::INTEGER AS event_index, e.eventTime::TIMESTAMPTZ AS event_time,
  e.name AS name, e.type AS type, nullif(e.code, '') AS code, dt
FROM (SELECT s.channel.arn AS channel_arn, s.streamId AS stream_id, s.channel.type AS channel_type, dt,
        unnest(s.truncatedEvents) AS e, generate_subscripts(s.truncatedEvents, 1) AS i FROM s)""")

copy("recording_settings", """
SELECT s.channel.arn AS channel_arn, s.streamId AS stream_id, r.arn AS recording_configuration_arn,
  r.name AS recording_configuration_name, r.state AS state, r.destinationConfiguration.s3.bucketName AS s3_bucket,
  r.recordingReconnectWindowSeconds AS reconnect_window_seconds,
  r.renditionConfiguration.renditionSelection AS rendition_selection, r.renditionConfiguration.renditions AS renditions,
  r.thumbnailConfiguration.recordingMode AS thumbnail_recording_mode,
  r.thumbnailConfiguration.targetIntervalSeconds AS thumbnail_target_interval_seconds,
  r.thumbnailConfiguration.resolution AS thumbnail_resolution, r.thumbnailConfiguration.storage AS thumbnail_storage,
  r.tags AS tags, dt
FROM (SELECT s, s.recordingConfiguration AS r, dt FROM s) WHERE r IS NOT NULL""")

counts = {}
for t in ("sessions", "tracks", "events", "recording_settings"):
    counts[t] = con.execute(f"SELECT count(*) FROM read_parquet('{lake}/{t}/*/*.parquet')").fetchone()[0]
print(json.dumps(counts))
