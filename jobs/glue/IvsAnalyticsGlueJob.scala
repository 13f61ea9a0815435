// The AWS Glue entry script of jobs/glue-job.json (Command.ScriptLocation, --class
// IvsAnalyticsGlueJob). The job itself is in the cluster jar (--extra-jars); the command line is
// the job parameter --ivs-args. HostedMain never calls System.exit and leaves Glue's
// SparkContext running; a failed run throws, so Glue marks the job run failed.
object IvsAnalyticsGlueJob {
  def main(sysArgs: Array[String]): Unit = {
    io.ivsanalytics.cli.HostedMain.glue(sysArgs)
  }
}
