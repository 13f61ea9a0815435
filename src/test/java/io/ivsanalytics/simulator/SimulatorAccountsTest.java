package io.ivsanalytics.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivsanalytics.simulator.Fleet.Channel;
import io.ivsanalytics.testing.WithSimulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ivs.IvsClient;
import software.amazon.awssdk.services.ivs.model.AccessDeniedException;
import software.amazon.awssdk.services.ivs.model.BatchGetChannelResponse;
import software.amazon.awssdk.services.ivs.model.ChannelSummary;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Ownership and STS AssumeRole in the simulator, through the Java SDK, the AWS CLI and boto3 (real
 * clients over the network).
 */
@WithSimulator
class SimulatorAccountsTest {
  static final String A = "111122223333";
  static final String B = "444455556666";
  static final String ROLE_B = "arn:aws:iam::" + B + ":role/IvsAnalyticsRead";
  static final ObjectMapper JSON = new ObjectMapper();
  static IvsSimulator sim;

  @TempDir static Path tmp;

  static SimulatorConfig simulatorConfig() {
    return SimulatorConfig.builder()
        .seed(23)
        .accounts(A, B)
        .regions("us-west-2", "eu-west-1")
        .channelsPerAccountRegion(3)
        .days(2)
        .sessionsPerChannelPerDay(2)
        .anchor(Instant.parse("2024-05-06T00:00:00Z"))
        .tps(1000)
        .build();
  }

  @AfterEach
  void resetKnobs() {
    sim.knobs().stsDurationSeconds(0).roleExternalId(null);
    sim.knobs().deniedRoles().clear();
  }

  static StsClient sts(String accessKey) {
    return StsClient.builder()
        .endpointOverride(sim.endpoint())
        .region(Region.US_WEST_2)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "secret")))
        .httpClientBuilder(ApacheHttpClient.builder())
        .build();
  }

  static IvsClient ivs(String region, AwsCredentials credentials) {
    return IvsClient.builder()
        .endpointOverride(sim.endpoint())
        .region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()))
        .build();
  }

  static AssumeRoleResponse assume(String roleArn) {
    try (StsClient sts = sts("AKIA" + A)) {
      return sts.assumeRole(b -> b.roleArn(roleArn).roleSessionName("ivs-analytics-test"));
    }
  }

  static AwsSessionCredentials session(AssumeRoleResponse r) {
    return AwsSessionCredentials.create(
        r.credentials().accessKeyId(),
        r.credentials().secretAccessKey(),
        r.credentials().sessionToken());
  }

  static Channel channel(String account, String region) {
    return sim.fleet().channels(account, region).stream()
        .filter(c -> !c.sessions().isEmpty())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void anotherAccountsChannelIsAccessDeniedWordedAsAws() {
    Channel b = channel(B, "us-west-2");
    try (IvsClient ivs = ivs("us-west-2", AwsBasicCredentials.create("AKIA" + A, "secret"))) {
      AccessDeniedException e =
          assertThrows(
              AccessDeniedException.class,
              () ->
                  ivs.getStreamSession(
                      x -> x.channelArn(b.arn()).streamId(b.sessions().get(0).streamId())));
      assertEquals(403, e.statusCode());
      assertEquals(
          "User: arn:aws:iam::"
              + A
              + ":user/simulated-user is not authorized to perform:"
              + " ivs:GetStreamSession on resource: "
              + b.arn(),
          e.awsErrorDetails().errorMessage());
      assertThrows(
          AccessDeniedException.class, () -> ivs.listStreamSessions(x -> x.channelArn(b.arn())));
      assertThrows(AccessDeniedException.class, () -> ivs.getChannel(x -> x.arn(b.arn())));
      Channel a = channel(A, "us-west-2");
      BatchGetChannelResponse batch = ivs.batchGetChannel(x -> x.arns(a.arn(), b.arn()));
      assertEquals(List.of(a.arn()), batch.channels().stream().map(c -> c.arn()).toList());
      assertEquals("AccessDeniedException", batch.errors().get(0).code());
      assertEquals(b.arn(), batch.errors().get(0).arn());
      // a key without an account id in it belongs to the first configured account
      try (IvsClient plain =
          ivs("us-west-2", AwsBasicCredentials.create("AKIAPLAINKEY", "secret"))) {
        assertEquals(a.arn(), plain.getChannel(x -> x.arn(a.arn())).channel().arn());
        assertThrows(AccessDeniedException.class, () -> plain.getChannel(x -> x.arn(b.arn())));
      }
    }
  }

  @Test
  void assumedRoleReadsOnlyItsOwnAccountAndListChannelsListsOnlyIt() {
    AssumeRoleResponse r = assume(ROLE_B);
    String keyId = r.credentials().accessKeyId();
    assertTrue(keyId.startsWith("ASIA") && keyId.contains(B) && keyId.length() == 20, keyId);
    assertTrue(r.credentials().sessionToken().length() > 100);
    Duration life = Duration.between(Instant.now(), r.credentials().expiration());
    assertTrue(life.toSeconds() > 3500 && life.toSeconds() <= 3600, life.toString());
    assertEquals(
        "arn:aws:sts::" + B + ":assumed-role/IvsAnalyticsRead/ivs-analytics-test",
        r.assumedRoleUser().arn());
    assertTrue(r.assumedRoleUser().assumedRoleId().endsWith(":ivs-analytics-test"));
    assertTrue(sim.issuedSessionTokens().contains(r.credentials().sessionToken()));

    Channel b = channel(B, "eu-west-1");
    Channel a = channel(A, "eu-west-1");
    try (IvsClient ivs = ivs("eu-west-1", session(r))) {
      assertEquals(
          b.sessions().get(0).streamId(),
          ivs.getStreamSession(x -> x.channelArn(b.arn()).streamId(b.sessions().get(0).streamId()))
              .streamSession()
              .streamId());
      AccessDeniedException e =
          assertThrows(
              AccessDeniedException.class,
              () ->
                  ivs.getStreamSession(
                      x -> x.channelArn(a.arn()).streamId(a.sessions().get(0).streamId())));
      assertEquals(
          "User: arn:aws:sts::"
              + B
              + ":assumed-role/IvsAnalyticsRead/ivs-analytics-test is not authorized"
              + " to perform: ivs:GetStreamSession on resource: "
              + a.arn(),
          e.awsErrorDetails().errorMessage());
      List<String> listed = new ArrayList<>();
      ivs.listChannelsPaginator(x -> x.maxResults(2))
          .forEach(p -> p.channels().stream().map(ChannelSummary::arn).forEach(listed::add));
      assertEquals(
          sim.fleet().channels(B, "eu-west-1").stream().map(Channel::arn).toList(), listed);
    }
    try (StsClient sts =
        StsClient.builder()
            .endpointOverride(sim.endpoint())
            .region(Region.US_WEST_2)
            .credentialsProvider(StaticCredentialsProvider.create(session(r)))
            .httpClientBuilder(ApacheHttpClient.builder())
            .build()) {
      assertEquals(B, sts.getCallerIdentity().account());
    }
  }

  @Test
  void temporaryKeysWithoutTheirSessionTokenOrExpiredAreRefused() throws Exception {
    AssumeRoleResponse r = assume(ROLE_B);
    Channel b = channel(B, "us-west-2");
    try (IvsClient noToken =
        ivs(
            "us-west-2",
            AwsBasicCredentials.create(
                r.credentials().accessKeyId(), r.credentials().secretAccessKey()))) {
      AwsServiceException e =
          assertThrows(AwsServiceException.class, () -> noToken.getChannel(x -> x.arn(b.arn())));
      assertEquals(403, e.statusCode());
      assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
    }
    try (IvsClient wrongToken =
        ivs(
            "us-west-2",
            AwsSessionCredentials.create(
                r.credentials().accessKeyId(),
                r.credentials().secretAccessKey(),
                r.credentials().sessionToken() + "x"))) {
      AwsServiceException e =
          assertThrows(AwsServiceException.class, () -> wrongToken.getChannel(x -> x.arn(b.arn())));
      assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
    }
    sim.knobs().stsDurationSeconds(1);
    AssumeRoleResponse shortLived = assume(ROLE_B);
    assertTrue(
        Duration.between(Instant.now(), shortLived.credentials().expiration()).toMillis() <= 1000);
    Thread.sleep(1100);
    try (IvsClient expired = ivs("us-west-2", session(shortLived))) {
      AwsServiceException e =
          assertThrows(AwsServiceException.class, () -> expired.getChannel(x -> x.arn(b.arn())));
      assertEquals(403, e.statusCode());
      assertEquals("ExpiredTokenException", e.awsErrorDetails().errorCode());
    }
  }

  @Test
  void deniedRolesUnknownAccountsAndMissingExternalIdAreAccessDenied() {
    sim.knobs().deniedRoles().add(B);
    StsException e = assertThrows(StsException.class, () -> assume(ROLE_B));
    assertEquals(403, e.statusCode());
    assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
    assertEquals(
        "User: arn:aws:iam::"
            + A
            + ":user/simulated-user is not authorized to perform: sts:AssumeRole"
            + " on resource: "
            + ROLE_B,
        e.awsErrorDetails().errorMessage());
    sim.knobs().deniedRoles().clear();
    assertEquals(
        "AccessDenied",
        assertThrows(
                StsException.class, () -> assume("arn:aws:iam::999988887777:role/IvsAnalyticsRead"))
            .awsErrorDetails()
            .errorCode());

    sim.knobs().roleExternalId("tenant-42");
    assertThrows(StsException.class, () -> assume(ROLE_B));
    try (StsClient sts = sts("AKIA" + A)) {
      assertTrue(
          sts.assumeRole(b -> b.roleArn(ROLE_B).roleSessionName("s1").externalId("tenant-42"))
              .credentials()
              .accessKeyId()
              .contains(B));
      StsException bad =
          assertThrows(
              StsException.class,
              () ->
                  sts.assumeRole(
                      b ->
                          b.roleArn(ROLE_B)
                              .roleSessionName("s1")
                              .externalId("tenant-42")
                              .durationSeconds(60)));
      assertEquals(400, bad.statusCode());
      assertEquals("ValidationError", bad.awsErrorDetails().errorCode());
    }
  }

  record Run(int exit, String out, String err) {}

  static Run run(List<String> command, Map<String, String> extraEnv)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.remove("AWS_PROFILE");
    env.remove("AWS_SESSION_TOKEN");
    env.put("AWS_ACCESS_KEY_ID", "AKIA" + A);
    env.put("AWS_SECRET_ACCESS_KEY", "secret");
    env.put("AWS_DEFAULT_REGION", "us-west-2");
    env.put("AWS_CONFIG_FILE", tmp.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("no-credentials").toString());
    env.putAll(extraEnv);
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
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void awsCliAssumesRoleAndSeesAccessDeniedForAnotherAccountsChannel() throws Exception {
    assumeTrue(available("aws", "--version"), "AWS CLI not installed");
    String endpoint = sim.endpoint().toString();
    Run assumed =
        run(
            List.of(
                "aws",
                "sts",
                "assume-role",
                "--role-arn",
                ROLE_B,
                "--role-session-name",
                "cli",
                "--endpoint-url",
                endpoint,
                "--output",
                "json"),
            Map.of());
    assertEquals(0, assumed.exit(), assumed.err());
    JsonNode c = JSON.readTree(assumed.out()).get("Credentials");
    assertTrue(c.get("AccessKeyId").asText().startsWith("ASIA" + B), assumed.out());
    assertEquals(
        "arn:aws:sts::" + B + ":assumed-role/IvsAnalyticsRead/cli",
        JSON.readTree(assumed.out()).path("AssumedRoleUser").path("Arn").asText());

    Channel b = channel(B, "us-west-2");
    List<String> getB =
        List.of(
            "aws",
            "ivs",
            "get-stream-session",
            "--channel-arn",
            b.arn(),
            "--stream-id",
            b.sessions().get(0).streamId(),
            "--endpoint-url",
            endpoint,
            "--region",
            "us-west-2",
            "--output",
            "json");
    Run asRole =
        run(
            getB,
            Map.of(
                "AWS_ACCESS_KEY_ID",
                c.get("AccessKeyId").asText(),
                "AWS_SECRET_ACCESS_KEY",
                c.get("SecretAccessKey").asText(),
                "AWS_SESSION_TOKEN",
                c.get("SessionToken").asText()));
    assertEquals(0, asRole.exit(), asRole.err());
    assertEquals(
        b.sessions().get(0).streamId(),
        JSON.readTree(asRole.out()).path("streamSession").path("streamId").asText());

    Run asA = run(getB, Map.of());
    assertTrue(asA.exit() != 0);
    assertTrue(
        asA.err().contains("AccessDeniedException")
            && asA.err()
                .contains(
                    "User: arn:aws:iam::"
                        + A
                        + ":user/simulated-user is not authorized to perform: ivs:GetStreamSession"
                        + " on resource: "
                        + b.arn()),
        asA.err());

    sim.knobs().deniedRoles().add(ROLE_B);
    Run denied =
        run(
            List.of(
                "aws",
                "sts",
                "assume-role",
                "--role-arn",
                ROLE_B,
                "--role-session-name",
                "cli",
                "--endpoint-url",
                endpoint),
            Map.of());
    assertTrue(denied.exit() != 0);
    assertTrue(
        denied.err().contains("AccessDenied") && denied.err().contains("sts:AssumeRole"),
        denied.err());
  }

  @Test
  void boto3AssumesRoleAndCallsIvsWithTheSessionToken() throws Exception {
    assumeTrue(available("python3", "-c", "import boto3"), "boto3 not installed");
    Channel b = channel(B, "eu-west-1");
    String script =
        String.join(
            "\n",
            "import boto3, sys, botocore.exceptions as ex",
            "ep, role, arn, sid = sys.argv[1:5]",
            "sts = boto3.client('sts', endpoint_url=ep, region_name='eu-west-1')",
            "c = sts.assume_role(RoleArn=role, RoleSessionName='boto3')['Credentials']",
            "assert c['AccessKeyId'].startswith('ASIA'), c['AccessKeyId']",
            "ivs = boto3.client('ivs', endpoint_url=ep, region_name='eu-west-1',"
                + " aws_access_key_id=c['AccessKeyId'],",
            "    aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'])",
            "print(ivs.get_stream_session(channelArn=arn,"
                + " streamId=sid)['streamSession']['streamId'])",
            "bare = boto3.client('ivs', endpoint_url=ep, region_name='eu-west-1',"
                + " aws_access_key_id=c['AccessKeyId'],",
            "    aws_secret_access_key=c['SecretAccessKey'])",
            "try:",
            "    bare.get_stream_session(channelArn=arn, streamId=sid)",
            "    print('no error')",
            "except ex.ClientError as e:",
            "    print(e.response['Error']['Code'])",
            "");
    Path py = tmp.resolve("assume.py");
    Files.writeString(py, script, StandardCharsets.UTF_8);
    Run r =
        run(
            List.of(
                "python3",
                py.toString(),
                sim.endpoint().toString(),
                ROLE_B,
                b.arn(),
                b.sessions().get(0).streamId()),
            Map.of());
    assertEquals(0, r.exit(), r.err());
    assertEquals(
        List.of(b.sessions().get(0).streamId(), "UnrecognizedClientException"),
        r.out().lines().toList());
  }
}
