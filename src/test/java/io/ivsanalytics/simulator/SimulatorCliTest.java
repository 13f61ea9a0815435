package io.ivsanalytics.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivsanalytics.cli.Main;
import io.ivsanalytics.simulator.Fleet.Channel;
import io.ivsanalytics.simulator.Fleet.Session;
import io.ivsanalytics.testing.WithSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AWS CLI and boto3, real clients from the image, against the simulator. */
@WithSimulator
class SimulatorCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static IvsSimulator sim;
  static Channel channel;

  @TempDir static Path tmp;

  static SimulatorConfig simulatorConfig() {
    return SimulatorConfig.builder()
        .seed(17)
        .channelsPerAccountRegion(5)
        .days(3)
        .sessionsPerChannelPerDay(3)
        .anchor(Instant.parse("2024-05-06T00:00:00Z"))
        .tps(1000)
        .build();
  }

  @BeforeAll
  static void start() {
    channel =
        sim.fleet().channels().stream()
            .filter(c -> c.sessions().size() >= 5)
            .findFirst()
            .orElseThrow();
  }

  record Run(int exit, String out, String err) {}

  static Run run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE");
    env.put("AWS_SECRET_ACCESS_KEY", "fake");
    env.put("AWS_DEFAULT_REGION", "us-west-2");
    env.put("AWS_CONFIG_FILE", tmp.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("no-credentials").toString());
    env.remove("AWS_PROFILE");
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  static boolean available(String... probe) {
    try {
      Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
      try (InputStream in = p.getInputStream()) {
        in.readAllBytes();
      }
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static List<String> aws(String... args) {
    List<String> cmd = new ArrayList<>(List.of("aws", "ivs"));
    cmd.addAll(List.of(args));
    cmd.addAll(
        List.of(
            "--endpoint-url",
            sim.endpoint().toString(),
            "--region",
            "us-west-2",
            "--output",
            "json"));
    return cmd;
  }

  static Instant instant(String cliTime) {
    return OffsetDateTime.parse(cliTime).toInstant();
  }

  @Test
  void awsCliGetStreamSession() throws Exception {
    assumeTrue(available("aws", "--version"), "AWS CLI not installed");
    Session s = channel.sessions().get(1);
    Run r =
        run(aws("get-stream-session", "--channel-arn", channel.arn(), "--stream-id", s.streamId()));
    assertEquals(0, r.exit(), r.err());
    JsonNode ss = JSON.readTree(r.out()).get("streamSession");
    assertEquals(s.streamId(), ss.get("streamId").asText());
    assertEquals(s.startTime(), instant(ss.get("startTime").asText()));
    assertEquals(s.endTime(), instant(ss.get("endTime").asText()));
    assertEquals(channel.arn(), ss.path("channel").path("arn").asText());
    assertEquals(channel.type(), ss.path("channel").path("type").asText());
    assertEquals(s.events().size(), ss.get("truncatedEvents").size());
    assertEquals(
        s.video().get(0).targetBitrate(),
        ss.path("ingestConfiguration").path("video").path("targetBitrate").asLong());
  }

  @Test
  void awsCliListStreamSessionsPagesWithNextToken() throws Exception {
    // botocore has no ListStreamSessions paginator: the CLI returns one page and its nextToken
    assumeTrue(available("aws", "--version"), "AWS CLI not installed");
    List<String> ids = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      List<String> cmd =
          aws("list-stream-sessions", "--channel-arn", channel.arn(), "--max-results", "4");
      if (token != null) {
        cmd.addAll(List.of("--next-token", token));
      }
      Run r = run(cmd);
      assertEquals(0, r.exit(), r.err());
      JsonNode page = JSON.readTree(r.out());
      page.get("streamSessions").forEach(n -> ids.add(n.get("streamId").asText()));
      token = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
      pages++;
    } while (token != null && pages < 50);
    assertEquals(channel.sessions().stream().map(Session::streamId).toList(), ids);
    assertEquals((channel.sessions().size() + 3) / 4, pages);
  }

  @Test
  void awsCliListChannelsPaginatesByItself() throws Exception {
    assumeTrue(available("aws", "--version"), "AWS CLI not installed");
    long before = sim.stats().requests("ListChannels");
    Run r = run(aws("list-channels", "--page-size", "2"));
    assertEquals(0, r.exit(), r.err());
    List<String> arns = new ArrayList<>();
    JSON.readTree(r.out()).get("channels").forEach(n -> arns.add(n.get("arn").asText()));
    assertEquals(sim.fleet().channels().stream().map(Channel::arn).toList(), arns);
    assertEquals(3, sim.stats().requests("ListChannels") - before, "5 channels in pages of 2");
  }

  @Test
  void awsCliShowsTheErrorNameAndFails() throws Exception {
    assumeTrue(available("aws", "--version"), "AWS CLI not installed");
    Run r =
        run(
            aws(
                "get-stream-session",
                "--channel-arn",
                "arn:aws:ivs:us-west-2:123456789012:channel/missing00000",
                "--stream-id",
                channel.sessions().get(0).streamId()));
    assertNotEquals(0, r.exit());
    assertTrue(r.err().contains("ResourceNotFoundException"), r.err());
  }

  @Test
  void boto3GetStreamSessionListChannelsAndClientError() throws Exception {
    assumeTrue(available("python3", "-c", "import boto3"), "boto3 not installed");
    Path script = tmp.resolve("boto3_client.py");
    try (InputStream in =
        SimulatorCliTest.class.getResourceAsStream("/simulator/boto3_client.py")) {
      Files.write(script, in.readAllBytes());
    }
    Session s = channel.sessions().get(0);
    String missing = "arn:aws:ivs:us-west-2:123456789012:channel/missing00000";
    Run r =
        run(
            List.of(
                "python3",
                script.toString(),
                sim.endpoint().toString(),
                "us-west-2",
                channel.arn(),
                s.streamId(),
                missing));
    assertEquals(0, r.exit(), r.err());
    JsonNode n = JSON.readTree(r.out());
    JsonNode ss = n.get("session");
    assertEquals(s.streamId(), ss.get("streamId").asText());
    assertEquals(
        channel.srtPassphrase(), ss.path("channel").path("srt").path("passphrase").asText());
    assertEquals(s.events().get(0).name(), ss.get("truncatedEvents").get(0).get("name").asText());
    List<String> arns = new ArrayList<>();
    n.get("channels").forEach(c -> arns.add(c.asText()));
    assertEquals(sim.fleet().channels().stream().map(Channel::arn).toList(), arns);
    assertEquals("ResourceNotFoundException", n.path("error").path("code").asText());
    assertEquals(404, n.path("error").path("status").asInt());
    assertTrue(n.path("error").path("exceptionMessage").asText().contains(missing), n.toString());
  }

  @Test
  void simulateCommandRejectsBadOptionsBeforeStarting() {
    assertEquals(Main.EXIT_USAGE, Main.execute("simulate", "--port", "0", "--anchor", "yesterday"));
    assertEquals(Main.EXIT_USAGE, Main.execute("simulate", "--port", "0", "--accounts", "12345"));
    assertEquals(Main.EXIT_USAGE, Main.execute("simulate", "--port", "0", "--error-rate", "1.5"));
  }
}
