package io.ivsanalytics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivsanalytics.config.SparkSessions;
import io.ivsanalytics.config.UsageException;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The platform job definitions beside the code (EMR step, Glue 5 job, Databricks job) parse, carry
 * the fields their APIs require, name classes that exist, and run the same command line; and
 * jobs/spark-submit.sh works from any directory.
 */
class JobDefinitionsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path JOBS = Path.of("jobs");

  @TempDir Path dir;

  @AfterEach
  void ownSparkAgain() {
    SparkSessions.keepRunning(false);
  }

  record Emr(String jar, List<String> command) {}

  static Emr emr() throws IOException {
    JsonNode steps = JSON.readTree(JOBS.resolve("emr-step.json").toFile());
    assertTrue(steps.isArray() && steps.size() == 1, "one step");
    JsonNode step = steps.get(0);
    for (String f : List.of("Name", "ActionOnFailure", "Type", "Jar", "Args")) {
      assertTrue(step.hasNonNull(f), "EMR step field " + f);
    }
    assertEquals("command-runner.jar", step.get("Jar").asText());
    List<String> args = strings(step.get("Args"));
    assertEquals("spark-submit", args.get(0));
    assertEquals(Main.class.getName(), args.get(args.indexOf("--class") + 1));
    int jarAt = -1;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).endsWith("-cluster.jar")) {
        jarAt = i;
      }
    }
    assertTrue(jarAt > 0, "the cluster jar in " + args);
    assertTrue(args.get(jarAt).startsWith("s3://"), args.get(jarAt));
    return new Emr(args.get(jarAt), args.subList(jarAt + 1, args.size()));
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void emrStepRunsTheWeeklyCommandFromS3WithoutACopyStep() throws IOException {
    Emr emr = emr();
    assertEquals("run", emr.command().get(0));
    new CommandLine(new Main()).parseArgs(emr.command().toArray(String[]::new)); // options exist
    for (String option : List.of("--conf", "--ids", "--lake")) {
      String value = emr.command().get(emr.command().indexOf(option) + 1);
      assertTrue(value.startsWith("s3://"), option + " " + value);
    }
  }

  @Test
  void glueJobRunsTheSameCommandThroughItsScalaEntryScript() throws Exception {
    Emr emr = emr();
    JsonNode job = JSON.readTree(JOBS.resolve("glue-job.json").toFile());
    for (String f :
        List.of(
            "Name",
            "Role",
            "GlueVersion",
            "Command",
            "DefaultArguments",
            "WorkerType",
            "NumberOfWorkers")) {
      assertTrue(job.hasNonNull(f), "Glue job field " + f);
    }
    assertEquals("5.0", job.get("GlueVersion").asText());
    assertEquals("glueetl", job.at("/Command/Name").asText());
    String script = job.at("/Command/ScriptLocation").asText();
    assertTrue(script.startsWith("s3://") && script.endsWith("/IvsAnalyticsGlueJob.scala"), script);
    JsonNode a = job.get("DefaultArguments");
    assertEquals("scala", a.get("--job-language").asText());
    assertEquals("IvsAnalyticsGlueJob", a.get("--class").asText());
    assertEquals(emr.jar(), a.get("--extra-jars").asText());

    String source =
        Files.readString(
            JOBS.resolve("glue").resolve("IvsAnalyticsGlueJob.scala"), StandardCharsets.UTF_8);
    assertTrue(source.contains("object IvsAnalyticsGlueJob"), source);
    assertTrue(source.contains("io.ivsanalytics.cli.HostedMain.glue(sysArgs)"), source);
    Method glue = HostedMain.class.getMethod("glue", String[].class);
    assertTrue(Modifier.isStatic(glue.getModifiers()));

    // As Glue passes them: its own parameters around ours.
    String[] sysArgs = {
      "--JOB_ID",
      "j_1",
      "--JOB_RUN_ID",
      "jr_1",
      HostedMain.GLUE_ARGS,
      a.get(HostedMain.GLUE_ARGS).asText(),
      "--job-bookmark-option",
      "job-bookmark-disable",
      "--JOB_NAME",
      job.get("Name").asText()
    };
    assertEquals(emr.command(), HostedMain.glueCommandLine(sysArgs));
  }

  @Test
  void databricksJobRunsTheSameCommandOnAnLtsRuntime() throws Exception {
    Emr emr = emr();
    JsonNode job = JSON.readTree(JOBS.resolve("databricks-job.json").toFile());
    assertTrue(job.hasNonNull("name"));
    JsonNode task = job.at("/tasks/0");
    assertTrue(task.hasNonNull("task_key"));
    String runtime = task.at("/new_cluster/spark_version").asText();
    assertTrue(runtime.startsWith("15.4.") && runtime.endsWith("-scala2.12"), runtime);
    assertTrue(task.at("/new_cluster/num_workers").isInt());
    assertTrue(task.at("/new_cluster/node_type_id").isTextual());
    String main = task.at("/spark_jar_task/main_class_name").asText();
    Method m = Class.forName(main).getMethod("main", String[].class);
    assertTrue(Modifier.isStatic(m.getModifiers()), main);
    assertEquals(
        HostedMain.class.getName(), main, "a platform-owned SparkContext: no System.exit, no stop");
    assertEquals(emr.command(), strings(task.at("/spark_jar_task/parameters")));
    assertEquals(emr.jar(), task.at("/libraries/0/jar").asText());
  }

  @Test
  void hostedMainTurnsAFailedCommandIntoAnExceptionAndNeverExits() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                HostedMain.run(
                    "report",
                    "--from",
                    "2024-13-01",
                    "--to",
                    "2024-05-06",
                    "--out",
                    dir.toString()));
    assertTrue(e.getMessage().contains("exited with code 2"), e.getMessage());
    UsageException u =
        assertThrows(
            UsageException.class,
            () -> HostedMain.glueCommandLine(new String[] {"--JOB_ID", "j_1"}));
    assertTrue(u.getMessage().contains(HostedMain.GLUE_ARGS), u.getMessage());
  }

  @Test
  void sparkSubmitScriptFindsItsJarFromAnyDirectory() throws Exception {
    Path project = Files.createDirectories(dir.resolve("project"));
    Files.createDirectories(project.resolve("jobs"));
    Path script =
        Files.copy(JOBS.resolve("spark-submit.sh"), project.resolve("jobs/spark-submit.sh"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path fake =
        Files.writeString(
            bin.resolve("spark-submit"), "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));

    Result none =
        bash(elsewhere, bin, script.toString(), "s3://b/lake", "/tmp/r", "s3://b/ids.csv");
    assertEquals(2, none.code(), none.out());
    assertTrue(
        none.out().contains("no cluster jar in " + project.toRealPath() + "/target"), none.out());

    Path jar =
        Files.createDirectories(project.resolve("target"))
            .resolve("ivs-session-analytics-0.1.0-cluster.jar");
    Files.writeString(jar, "");
    Result r =
        bash(
            elsewhere,
            bin,
            script.toString(),
            "s3://b/lake",
            "/tmp/r",
            "s3://b/ids.csv",
            "--email");
    assertEquals(0, r.code(), r.out());
    List<String> args = List.of(r.out().strip().split("\n"));
    assertEquals(Main.class.getName(), args.get(args.indexOf("--class") + 1));
    int at = args.indexOf(jar.toRealPath().toString());
    assertTrue(at > 0, "absolute jar path in " + args);
    assertEquals(
        List.of(
            "run",
            "--ids",
            "s3://b/ids.csv",
            "--lake",
            "s3://b/lake",
            "--out",
            "/tmp/r",
            "--email"),
        args.subList(at + 1, args.size()));
  }

  record Result(int code, String out) {}

  static Result bash(Path cwd, Path bin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().remove("IVS_ANALYTICS_JAR");
    pb.environment().remove("SPARK_SUBMIT_ARGS");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return new Result(p.exitValue(), out);
  }
}
