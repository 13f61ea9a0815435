package io.ivsanalytics.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Child JVM for {@link LogConfigTest}: writes Spark's two hostname-loopback warnings and one other
 * warning through Spark's Utils logger, then runs a command line that starts Spark.
 */
public final class LogConfigChild {
  public static void main(String[] args) {
    Logger utils = LoggerFactory.getLogger("org.apache.spark.util.Utils");
    utils.warn(
        "Your hostname, example-host resolves to a loopback address: 127.0.1.1; using 10.1.2.3"
            + " instead (on interface eth0)");
    utils.warn("Set SPARK_LOCAL_IP if you need to bind to another address");
    utils.warn("another Utils warning that must stay visible");
    System.exit(Main.execute(args));
  }

  private LogConfigChild() {}
}
