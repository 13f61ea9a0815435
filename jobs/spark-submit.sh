#!/usr/bin/env bash
# Submits the weekly run to a Spark cluster (EMR, YARN, Kubernetes) with the shaded jar.
#   mvn -B -Pcluster -DskipTests package            # -> target/ivs-session-analytics-*-cluster.jar
#   jobs/spark-submit.sh s3://bucket/lake /mnt/ivs-reports s3://bucket/conf/ids.csv [--email ...]
# The lake may be on S3; the report folder is a local directory on the driver (client mode).
# The window defaults to the last 7 full UTC days. Credentials: the default AWS chain (instance
# profile on EMR). Region comes from the channel ARNs.
set -euo pipefail
lake="${1:?lake URI}"; reports="${2:?local report folder}"; ids="${3:?ids file}"; shift 3
# The ids file and the report folder are local to the driver; the lake may be an s3:// URI.
jar="$(ls target/ivs-session-analytics-*-cluster.jar 2>/dev/null | head -n1 || true)"
jar="${IVS_ANALYTICS_JAR:-$jar}"
[ -n "$jar" ] || { echo "no cluster jar: run mvn -B -Pcluster -DskipTests package" >&2; exit 2; }
exec spark-submit \
  --deploy-mode client \
  --class io.ivsanalytics.cli.Main \
  --conf spark.sql.session.timeZone=UTC \
  --driver-memory 2g \
  "$jar" run --ids "$ids" --lake "$lake" --out "$reports" "$@"
