package io.ivsanalytics.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One stock Spark line (Spark version + Scala binary version): its runtime jars, resolved with
 * Maven from {@code src/test/spark-runtime/pom.xml}, a SPARK_HOME whose {@code jars/} links them,
 * and the cluster jar built for it.
 */
public record SparkLine(String sparkVersion, String scalaBinary, Path clusterJar) {

  static final Path BASEDIR =
      Path.of(System.getProperty("ivs.project.basedir", System.getProperty("user.dir")));

  /** The line this build compiles against (the pom's spark.version / scala.binary.version). */
  public static SparkLine built() {
    return new SparkLine(
        required("ivs.spark.version"),
        required("ivs.scala.binary.version"),
        Path.of(required("ivs.cluster.jar")));
  }

  /** Stock Spark 4.0.1 / Scala 2.13 and the jar of {@code mvn -Pcluster,spark4 package}. */
  public static SparkLine spark4() {
    return new SparkLine("4.0.1", "2.13", Path.of(required("ivs.cluster.jar.spark4")));
  }

  @Override
  public String toString() {
    return "Spark " + sparkVersion + " / Scala " + scalaBinary;
  }

  /** The cluster jar, or a failure that says how to build it. */
  public Path requireJar() {
    if (!Files.isRegularFile(clusterJar)) {
      throw new AssertionError(
          "no cluster jar for "
              + this
              + " at "
              + clusterJar
              + ": jobs/test builds it ("
              + (clusterJar.getFileName().toString().contains("spark4")
                  ? "mvn -B -Pcluster,spark4 -DskipTests package"
                  : "mvn -B -Pcluster verify")
              + ")");
    }
    return clusterJar;
  }

  /** The runtime jars of stock Spark on this line (spark-sql and everything it needs). */
  public synchronized List<Path> runtimeJars() throws IOException, InterruptedException {
    Path list =
        BASEDIR.resolve("target/spark-runtime/spark-" + sparkVersion + "_" + scalaBinary + ".txt");
    if (!Files.isRegularFile(list)) {
      Files.createDirectories(list.getParent());
      Path log = list.resolveSibling(list.getFileName() + ".log");
      Path tmp = list.resolveSibling(list.getFileName() + ".tmp");
      Process p =
          new ProcessBuilder(
                  "mvn",
                  "-q",
                  "-B",
                  "-f",
                  BASEDIR.resolve("src/test/spark-runtime/pom.xml").toString(),
                  "dependency:build-classpath",
                  "-Dspark.version=" + sparkVersion,
                  "-Dscala.binary.version=" + scalaBinary,
                  "-Dmdep.outputFile=" + tmp)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new AssertionError(
            "resolving the runtime jars of " + this + " failed: " + Files.readString(log));
      }
      Files.move(tmp, list);
    }
    List<Path> jars = new ArrayList<>();
    for (String s :
        Files.readString(list, StandardCharsets.UTF_8).trim().split(File.pathSeparator)) {
      jars.add(Path.of(s));
    }
    String core = "spark-core_" + scalaBinary + "-" + sparkVersion + ".jar";
    if (jars.stream().noneMatch(j -> j.getFileName().toString().equals(core))) {
      throw new AssertionError(list + " does not list " + core);
    }
    return jars;
  }

  /**
   * A Spark home for this line under {@code target/spark-home/}, made once and reused: {@code
   * jars/} links the line's runtime jars (what a Worker puts on its executors' classpath), {@code
   * conf/log4j2.properties} keeps Spark at warn and the job at info.
   */
  public synchronized Path sparkHome() throws IOException, InterruptedException {
    Path dir = BASEDIR.resolve("target/spark-home/spark-" + sparkVersion + "_" + scalaBinary);
    Path ready = dir.resolve("READY");
    if (Files.exists(ready)) {
      return dir;
    }
    Path jars = Files.createDirectories(dir.resolve("jars"));
    for (Path jar : runtimeJars()) {
      Files.deleteIfExists(jars.resolve(jar.getFileName()));
      Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar);
    }
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(
        conf.resolve("log4j2.properties"),
        String.join(
            "\n",
            "rootLogger.level = warn",
            "rootLogger.appenderRef.stderr.ref = console",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.target = SYSTEM_ERR",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1}: %m%n",
            "logger.app.name = io.ivsanalytics",
            "logger.app.level = info",
            "logger.parquet.name = org.apache.parquet",
            "logger.parquet.level = error",
            "logger.hadoop.name = org.apache.hadoop",
            "logger.hadoop.level = error",
            ""),
        StandardCharsets.UTF_8);
    Files.writeString(ready, toString(), StandardCharsets.UTF_8);
    return dir;
  }

  /**
   * {@code java <module options> -cp SPARK_HOME/conf:SPARK_HOME/jars/* main args}, with the
   * environment a Spark JVM needs.
   */
  public ProcessBuilder sparkJvm(Path sparkHome, String heap, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaHome().resolve("bin/java").toString());
    cmd.add("-Xmx" + heap);
    cmd.addAll(jvmOptions());
    cmd.add("-Dfile.encoding=UTF-8");
    cmd.add("-cp");
    cmd.add(
        sparkHome.resolve("conf")
            + File.pathSeparator
            + sparkHome.resolve("jars")
            + File.separator
            + "*");
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(BASEDIR.toFile());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_CONF_DIR", sparkHome.resolve("conf").toString());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    // What bin/load-spark-env.sh sets: a Worker's executor command line needs it.
    pb.environment().put("SPARK_SCALA_VERSION", scalaBinary);
    pb.environment().put("JAVA_HOME", javaHome().toString());
    pb.environment().remove("SPARK_MASTER");
    pb.environment().remove("HADOOP_CONF_DIR");
    pb.environment().remove("YARN_CONF_DIR");
    return pb;
  }

  /**
   * {@code SparkSubmit --master MASTER --deploy-mode client --class io.ivsanalytics.cli.Main
   * [--conf k=v ...] JAR ARGS}: the code path of {@code spark-submit}, in a JVM of its own.
   */
  public ProcessBuilder submit(
      Path sparkHome, String master, Path jar, List<String> conf, List<String> appArgs) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--master",
                master,
                "--deploy-mode",
                "client",
                "--class",
                "io.ivsanalytics.cli.Main",
                "--conf",
                "spark.driver.host=127.0.0.1",
                "--conf",
                "spark.driver.bindAddress=127.0.0.1",
                "--conf",
                "spark.ui.enabled=false"));
    for (String c : conf) {
      args.add("--conf");
      args.add(c);
    }
    args.add(jar.toString());
    args.addAll(appArgs);
    return sparkJvm(sparkHome, "1g", "org.apache.spark.deploy.SparkSubmit", args);
  }

  /** The module options spark-submit adds on Java 17 (the pom's spark.jvm.options). */
  public static List<String> jvmOptions() {
    return Arrays.asList(required("ivs.spark.jvm.options").trim().split("\\s+"));
  }

  static Path javaHome() {
    return Path.of(System.getProperty("java.home"));
  }

  static String required(String key) {
    String v = System.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "system property %s is not set: run the cluster tests through Maven (jobs/test, or"
                  + " mvn -Pcluster verify)",
              key));
    }
    return v;
  }
}
