#!/usr/bin/env bash
# Submits the weekly run to a Spark cluster (EMR, YARN, Kubernetes) with the shaded jar.
#   mvn -B -Pcluster -DskipTests package            # -> target/ivs-session-analytics-*-cluster.jar
#   jobs/spark-submit.sh s3://bucket/lake s3://bucket/reports s3://bucket/conf/ids.csv [extra run options]
# The window defaults to the last 7 full UTC days. Credentials: the default AWS chain (instance
# profile on EMR). Region comes from the channel ARNs.
set -euo pipefail
lake="${1:?lake URI}"; reports="${2:?reports URI}"; ids="${3:?ids file}"; shift 3
jar="$(ls target/ivs-session-analytics-*-cluster.jar 2>/dev/null | head -n1 || true)"
jar="${IVS_ANALYTICS_JAR:-$jar}"
[ -n "$jar" ] || { echo "no cluster jar: run mvn -B -Pcluster -DskipTests package" >&2; exit 2; }
exec spark-submit \
  --class io.ivsanalytics.cli.Main \
  --conf spark.sql.session.timeZone=UTC \
  --driver-memory 2g \
  "$jar" run --ids "$ids" --lake "$lake" --out "$reports" "$@"
