package io.ivsanalytics;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A second JVM with the test classpath and the Java 17 module options Spark needs. */
public final class ChildJvm {

  /** {@code java <module options> -cp <test classpath> <jvmArgs> main args}. */
  public static ProcessBuilder of(List<String> jvmArgs, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens")
          || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
          || a.startsWith("-Djdk.reflect")
          || a.startsWith("-Dio.netty")
          || a.startsWith("-Dfile.encoding")) {
        cmd.add(a);
      }
    }
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(
        System.getProperty("java.class.path")
            + File.pathSeparator
            + System.getProperty("surefire.test.class.path", ""));
    cmd.addAll(jvmArgs);
    cmd.add(mainClass);
    cmd.addAll(args);
    return new ProcessBuilder(cmd);
  }

  private ChildJvm() {}
}
