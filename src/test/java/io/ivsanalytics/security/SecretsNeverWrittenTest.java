package io.ivsanalytics.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.ChildJvm;
import io.ivsanalytics.TestSpark;
import io.ivsanalytics.simulator.Fleet;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduled command ({@code run --email}) in its own JVM with credentials in its environment,
 * against the simulator whose channels carry SRT passphrases, over two accounts reached through STS
 * AssumeRole: no passphrase, AWS secret, session token (given or issued by AssumeRole) or SMTP
 * password appears in anything the run printed or logged (Spark and the job at info level) or in
 * any file it wrote, gzip and Parquet contents included.
 */
class SecretsNeverWrittenTest {
  static final String ACCESS_KEY = "AKIA111122223333TEST";
  static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/SecretKeyNeverLogged42";
  static final String SESSION_TOKEN = "FwoGZXIvYXdzSessionTokenNeverLogged42";
  static final String SMTP_PASSWORD = "smtp-Pa55word-NeverLogged42";

  @TempDir Path dir;

  @Test
  void noSecretInAnyOutputLogOrFile() throws Exception {
    try (IvsSimulator sim =
        IvsSimulator.start(
            SimulatorConfig.builder()
                .seed(9)
                .accounts("111122223333", "444455556666")
                .regions("us-west-2")
                .channelsPerAccountRegion(4)
                .days(2)
                .sessionsPerChannelPerDay(2)
                .anchor(Instant.parse("2024-05-06T12:00:00Z"))
                .tps(200)
                .build())) {
      Map<String, String> secrets = new LinkedHashMap<>();
      for (Fleet.Channel c : sim.fleet().channels()) {
        if (c.srtPassphrase() != null && !c.srtPassphrase().isEmpty()) {
          secrets.put(c.srtPassphrase(), "SRT passphrase of " + c.arn());
        }
      }
      assertFalse(secrets.isEmpty(), "the fleet has passphrases");
      secrets.put(SECRET_KEY, "AWS secret access key");
      secrets.put(SESSION_TOKEN, "AWS session token");
      secrets.put(SMTP_PASSWORD, "SMTP password");

      List<String> ids = new ArrayList<>();
      sim.fleet().channels().forEach(c -> ids.add(c.arn()));
      Path idsFile = dir.resolve("ids.txt");
      Files.write(idsFile, ids, StandardCharsets.UTF_8);
      Path conf = dir.resolve("job.properties");
      Files.writeString(
          conf,
          String.join(
              "\n",
              "smtp.user = reporter",
              "mail.from = ivs@example.com",
              "mail.to = team@example.com",
              "report.limits = " + Path.of("conf", "bitrate-limits.csv").toAbsolutePath(),
              "fetch.partitions = 2",
              ""),
          StandardCharsets.UTF_8);
      Path log4j = dir.resolve("log4j2.properties");
      Files.writeString(
          log4j,
          String.join(
              "\n",
              "rootLogger.level = info",
              "rootLogger.appenderRef.stderr.ref = console",
              "appender.console.type = Console",
              "appender.console.name = console",
              "appender.console.target = SYSTEM_ERR",
              "appender.console.layout.type = PatternLayout",
              "appender.console.layout.pattern = %d %-5p %c: %m%n",
              ""),
          StandardCharsets.UTF_8);
      Path out = dir.resolve("run");
      Path lake = out.resolve("lake");
      Path reports = out.resolve("reports");
      Path console = dir.resolve("console.txt");
      ProcessBuilder pb =
          ChildJvm.of(
              List.of(
                  "-Dlog4j2.configurationFile=" + log4j.toUri(),
                  "-Dspark.master=local[2]",
                  "-Dspark.sql.shuffle.partitions=2"),
              "io.ivsanalytics.cli.Main",
              List.of(
                  "run",
                  "--ids",
                  idsFile.toString(),
                  "--lake",
                  lake.toString(),
                  "--out",
                  reports.toString(),
                  "--endpoint",
                  sim.endpoint().toString(),
                  "--from",
                  "2024-05-04",
                  "--to",
                  "2024-05-07",
                  "--tps",
                  "100",
                  "--conf",
                  conf.toString(),
                  "--email"));
      pb.environment().put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
      pb.environment().put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
      pb.environment().put("AWS_SESSION_TOKEN", SESSION_TOKEN);
      pb.environment().put("IVS_ANALYTICS_SMTP_PASSWORD", SMTP_PASSWORD);
      pb.environment()
          .put("IVS_ANALYTICS_AWS_ROLE_ARN", "arn:aws:iam::{account}:role/IvsAnalyticsRead");
      Process p = pb.redirectErrorStream(true).redirectOutput(console.toFile()).start();
      assertTrue(p.waitFor(180, TimeUnit.SECONDS), "run finished");
      String printed = Files.readString(console, StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), printed);
      assertTrue(
          printed.contains("requested = fetched + errors")
              && printed.contains(" INFO  io.ivsanalytics.ingest.FetchStage: fetch "),
          "the summary and the job's debug log were captured:\n" + printed);
      assertTrue(
          sim.stats().accessKeys().contains(ACCESS_KEY),
          "the run signed with the given credentials");
      assertTrue(
          sim.stats().accessKeys().stream().anyMatch(k -> k.startsWith("ASIA444455556666")),
          "the run called the second account with its role's credentials: "
              + sim.stats().accessKeys());
      assertFalse(sim.issuedSessionTokens().isEmpty());
      sim.issuedSessionTokens().forEach(t -> secrets.put(t, "session token issued by AssumeRole"));
      sim.issuedSecretKeys().forEach(k -> secrets.put(k, "secret access key issued by AssumeRole"));
      assertTrue(
          Files.exists(reports.resolve("report.html"))
              && Files.exists(reports.resolve("weekly-report.eml")));

      Map<String, String> written = new LinkedHashMap<>();
      written.put("console", printed);
      try (Stream<Path> walk = Files.walk(out)) {
        for (Path f : walk.filter(Files::isRegularFile).toList()) {
          written.put(f.toString(), contents(f));
        }
      }
      assertTrue(
          written.keySet().stream().anyMatch(k -> k.endsWith(".parquet")),
          written.keySet().toString());
      assertTrue(
          written.keySet().stream().anyMatch(k -> k.endsWith(".jsonl.gz")),
          written.keySet().toString());
      for (Map.Entry<String, String> w : written.entrySet()) {
        for (Map.Entry<String, String> s : secrets.entrySet()) {
          assertFalse(w.getValue().contains(s.getKey()), s.getValue() + " in " + w.getKey());
        }
      }
    }
  }

  /**
   * The raw bytes as text, plus the decompressed text of gzip files and the rows of Parquet files.
   */
  static String contents(Path f) throws IOException {
    byte[] bytes = Files.readAllBytes(f);
    StringBuilder text = new StringBuilder(new String(bytes, StandardCharsets.ISO_8859_1));
    String name = f.getFileName().toString();
    if (name.endsWith(".gz")) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        in.transferTo(plain);
        text.append('\n').append(plain.toString(StandardCharsets.UTF_8));
      }
    }
    if (name.endsWith(".parquet") && !name.startsWith(".")) {
      for (Row r : TestSpark.session().read().parquet(f.toString()).collectAsList()) {
        text.append('\n').append(r);
      }
    }
    return text.toString();
  }
}
