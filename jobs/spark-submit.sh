#!/usr/bin/env bash
# Submits the weekly run to a Spark cluster (EMR, YARN, Kubernetes, standalone) with the cluster
# jar. Works from any directory.
#   mvn -B -Pcluster -DskipTests package            # -> target/ivs-session-analytics-*-cluster.jar
#   jobs/spark-submit.sh s3://bucket/lake /mnt/ivs-reports s3://bucket/conf/ids.csv [--email ...]
# The lake and the ids file may be local paths or Hadoop URIs (s3://, s3a://, hdfs://); the
# report folder is a local directory on the driver (client mode). Extra arguments go to the
# `run` command (e.g. --conf s3://bucket/conf/ivs-analytics.properties, --from, --to, --email).
# Spark options go in SPARK_SUBMIT_ARGS, e.g. the s3a settings of a non-AWS S3 endpoint:
#   SPARK_SUBMIT_ARGS="--master spark://host:7077 --conf spark.hadoop.fs.s3a.endpoint=http://..."
# The window defaults to the last 7 full UTC days. Credentials: the default AWS chain (instance
# profile on EMR). Region comes from the channel ARNs. IVS_ANALYTICS_JAR overrides the jar.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lake="${1:?lake URI}"; reports="${2:?local report folder}"; ids="${3:?ids file}"; shift 3
jar="${IVS_ANALYTICS_JAR:-}"
if [ -z "$jar" ]; then
  for f in "$here"/target/ivs-session-analytics-*-cluster.jar; do
    [ -e "$f" ] && jar="$f" && break
  done
fi
[ -n "$jar" ] || { echo "no cluster jar in $here/target: run mvn -B -Pcluster -DskipTests package there, or set IVS_ANALYTICS_JAR" >&2; exit 2; }
read -r -a extra <<< "${SPARK_SUBMIT_ARGS:-}"
exec spark-submit \
  --deploy-mode client \
  --class io.ivsanalytics.cli.Main \
  --conf spark.sql.session.timeZone=UTC \
  --driver-memory 2g \
  "${extra[@]}" \
  "$jar" run --ids "$ids" --lake "$lake" --out "$reports" "$@"
