#!/usr/bin/env python3
"""The three contract reports (takeover_failure_rates, codec_distribution, bitrate_conformance,
the columns docs/reports.md defines for them, without the decision columns) in plain DuckDB SQL over the lake's Parquet files: the peer that jobs/bench-lake
times the `report` command against.

    duckdb-reports.py LAKE FROM TO LIMITS_CSV OUT_DIR

Reads only the dt partitions of [FROM, TO) (hive partition pruning), writes the three CSV files
to OUT_DIR in the report's row order and number format, and prints the query time.
"""
import csv
import os
import sys
import time

import duckdb

lake, date_from, date_to, limits, out = sys.argv[1:6]
t0 = time.perf_counter()
con = duckdb.connect()
for table in ("sessions", "tracks", "events"):
    con.execute(
        f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{os.path.join(lake, table, 'dt=*', '*.parquet')}', "
        "hive_partitioning = true, hive_types = {'dt': 'VARCHAR'})"
    )
con.execute(
    "CREATE TABLE limits (channel_type VARCHAR, max_height_for_low_bitrate_px INTEGER, low_max_bitrate_bps BIGINT, "
    "max_bitrate_bps BIGINT, max_long_side_px INTEGER, max_short_side_px INTEGER, max_fps INTEGER)"
)
with open(limits, encoding="utf-8") as f:
    rows = list(csv.reader(line for line in f if line.strip() and not line.startswith("#")))
con.executemany("INSERT INTO limits VALUES (?, ?, ?, ?, ?, ?, ?)", [[v or None for v in r] for r in rows[1:]])
window = [date_from, date_to]

# Per channel type, then ALL (grouping sets); ALL sorts last, a missing type before it.
ORDER = "ORDER BY grouping(channel_type), channel_type NULLS LAST"

takeover = con.execute(f"""
    WITH s AS (
      SELECT channel_type, grouping(channel_type) AS g, count(*) AS sessions
      FROM sessions WHERE dt >= ? AND dt < ? GROUP BY GROUPING SETS ((channel_type), ())
    ), e AS (
      SELECT channel_type, grouping(channel_type) AS g,
             count(DISTINCT (channel_arn, stream_id)) AS sessions_with_takeover,
             count(*) FILTER (WHERE name = 'Stream Takeover') AS successes,
             count(*) FILTER (WHERE name = 'Stream Takeover Failure') AS failures,
             count(*) FILTER (WHERE name = 'Stream Takeover Failure' AND code = 'StreamTakeoverInvalidPriority') AS invalid_priority,
             count(*) FILTER (WHERE name = 'Stream Takeover Failure' AND code = 'StreamTakeoverMediaMismatch') AS media_mismatch,
             count(*) FILTER (WHERE name = 'Stream Takeover Failure' AND code = 'StreamTakeoverLimitBreached') AS limit_breached
      FROM events WHERE dt >= ? AND dt < ? AND name IN ('Stream Takeover', 'Stream Takeover Failure')
      GROUP BY GROUPING SETS ((channel_type), ())
    )
    SELECT CASE WHEN s.g = 1 THEN 'ALL' ELSE s.channel_type END AS channel_type, s.sessions,
           coalesce(e.sessions_with_takeover, 0) AS sessions_with_takeover,
           coalesce(e.successes + e.failures, 0) AS takeover_attempts,
           coalesce(e.successes, 0) AS takeover_successes, coalesce(e.failures, 0) AS takeover_failures,
           e.failures / nullif(e.successes + e.failures, 0) AS failure_rate,
           coalesce(e.invalid_priority, 0) AS invalid_priority, coalesce(e.media_mismatch, 0) AS media_mismatch,
           coalesce(e.limit_breached, 0) AS limit_breached,
           coalesce(e.failures - e.invalid_priority - e.media_mismatch - e.limit_breached, 0) AS other_failure_code
    FROM s LEFT JOIN e ON s.g = e.g AND s.channel_type IS NOT DISTINCT FROM e.channel_type
    ORDER BY s.g, s.channel_type NULLS LAST
""", window * 2).df()

codecs = con.execute("""
    SELECT channel_type, media, codec_family, codec,
           count(DISTINCT (channel_arn, stream_id)) AS sessions, count(*) AS tracks,
           count(*) / sum(count(*)) OVER (PARTITION BY channel_type, media) AS share_of_tracks
    FROM tracks WHERE dt >= ? AND dt < ?
    GROUP BY channel_type, media, codec_family, codec
    ORDER BY channel_type NULLS LAST, media NULLS LAST, codec_family NULLS LAST, codec NULLS LAST
""", window).df()

conformance = con.execute(f"""
    WITH checked AS (
      SELECT t.channel_type, t.target_bitrate, l.channel_type IS NOT NULL AS evaluated, l.max_bitrate_bps,
             coalesce(t.target_bitrate > CASE WHEN t.video_height <= l.max_height_for_low_bitrate_px
                                             THEN l.low_max_bitrate_bps ELSE l.max_bitrate_bps END, false) AS ob,
             coalesce(t.video_width IS NOT NULL AND t.video_height IS NOT NULL
                      AND (greatest(t.video_width, t.video_height) > l.max_long_side_px
                           OR least(t.video_width, t.video_height) > l.max_short_side_px), false) AS orr,
             coalesce(t.target_framerate > l.max_fps, false) AS ofr
      FROM tracks t LEFT JOIN limits l ON t.channel_type = l.channel_type
      WHERE t.dt >= ? AND t.dt < ? AND t.media = 'video'
    )
    SELECT CASE WHEN grouping(channel_type) = 1 THEN 'ALL' ELSE channel_type END AS channel_type,
           count(*) AS video_tracks,
           count(*) FILTER (WHERE evaluated AND NOT (ob OR orr OR ofr)) AS conformant_tracks,
           count(*) FILTER (WHERE evaluated AND ob) AS over_bitrate,
           count(*) FILTER (WHERE evaluated AND orr) AS over_resolution,
           count(*) FILTER (WHERE evaluated AND ofr) AS over_framerate,
           count(*) FILTER (WHERE evaluated AND NOT (ob OR orr OR ofr)) / nullif(count(*) FILTER (WHERE evaluated), 0)
             AS conformance_rate,
           CASE WHEN grouping(channel_type) = 1 THEN NULL ELSE max(max_bitrate_bps) END AS limit_bitrate_bps,
           quantile_disc(target_bitrate, 0.5) AS p50_target_bitrate,
           quantile_disc(target_bitrate, 0.95) AS p95_target_bitrate
    FROM checked GROUP BY GROUPING SETS ((channel_type), ())
    {ORDER}
""", window).df()
seconds = time.perf_counter() - t0

os.makedirs(out, exist_ok=True)
for name, df in (("takeover_failure_rates", takeover), ("codec_distribution", codecs), ("bitrate_conformance", conformance)):
    for c in df.columns:
        if df[c].dtype.kind in "iu" or (df[c].dtype.kind == "f" and c not in ("failure_rate", "share_of_tracks", "conformance_rate")):
            df[c] = df[c].astype("Int64")
    df.to_csv(os.path.join(out, name + ".csv"), index=False, float_format="%.4f", lineterminator="\r\n")
print(f"duckdb {duckdb.__version__}: three reports in {seconds:.3f} s "
      f"({len(takeover)} + {len(codecs)} + {len(conformance)} rows)")
