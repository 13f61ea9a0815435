package io.ivsanalytics.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.simulator.Fleet.Channel;
import io.ivsanalytics.simulator.SimulatorStats.Outcome;
import io.ivsanalytics.testing.WithSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ivs.IvsClient;
import software.amazon.awssdk.services.ivs.model.InternalServerException;

/** Injected faults look to the AWS SDK like the transient failures it retries. */
@WithSimulator
class SimulatorFaultsTest {
  static IvsSimulator sim;
  static IvsClient ivs;
  static Channel channel;

  static SimulatorConfig simulatorConfig() {
    return SimulatorConfig.builder()
        .seed(3)
        .channelsPerAccountRegion(2)
        .days(2)
        .sessionsPerChannelPerDay(2)
        .anchor(Instant.parse("2024-05-06T00:00:00Z"))
        .tps(10_000)
        .slowMs(1500)
        .build();
  }

  @BeforeAll
  static void start() {
    channel = sim.fleet().channels().get(0);
    ivs =
        IvsClient.builder()
            .endpointOverride(sim.endpoint())
            .region(Region.US_WEST_2)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAFAKE", "fake")))
            .httpClientBuilder(ApacheHttpClient.builder())
            .overrideConfiguration(
                o ->
                    o.apiCallAttemptTimeout(Duration.ofMillis(400))
                        .apiCallTimeout(Duration.ofSeconds(20)))
            .build();
  }

  @AfterAll
  static void stop() {
    ivs.close();
  }

  @AfterEach
  void reset() {
    sim.knobs().serverErrorRate(0).resetRate(0).malformedRate(0).slowRate(0);
  }

  private long requests() {
    return sim.stats().requests("GetStreamSession");
  }

  private void call(int session) {
    ivs.getStreamSession(
        b -> b.channelArn(channel.arn()).streamId(channel.sessions().get(session).streamId()));
  }

  @Test
  void serverErrorsAre500AndRetried() {
    sim.knobs().serverErrorRate(1);
    long before = sim.stats().serverErrors("GetStreamSession");
    InternalServerException e = assertThrows(InternalServerException.class, () -> call(0));
    assertEquals(500, e.statusCode());
    long attempts = sim.stats().serverErrors("GetStreamSession") - before;
    assertTrue(attempts > 1, "the SDK retried: " + attempts);
  }

  @Test
  void partialServerErrorsAreRetriedToSuccess() {
    sim.knobs().serverErrorRate(0.5);
    long before = requests();
    for (int i = 0; i < channel.sessions().size(); i++) {
      call(i);
    }
    assertTrue(
        requests() - before > channel.sessions().size(), "some attempts failed and were retried");
  }

  @Test
  void connectionResetsAreRetried() {
    sim.knobs().resetRate(1);
    long before = sim.stats().count("GetStreamSession", Outcome.RESET);
    SdkClientException e = assertThrows(SdkClientException.class, () -> call(0));
    assertTrue(sim.stats().count("GetStreamSession", Outcome.RESET) - before > 1, e.toString());
  }

  @Test
  void malformedBodiesFailParsingAndAreRetried() {
    sim.knobs().malformedRate(1);
    long before = sim.stats().count("GetStreamSession", Outcome.MALFORMED);
    SdkException e = assertThrows(SdkException.class, () -> call(0));
    assertInstanceOf(SdkClientException.class, e);
    assertTrue(sim.stats().count("GetStreamSession", Outcome.MALFORMED) - before > 1, e.toString());
  }

  @Test
  void slowAnswersTripTheAttemptTimeout() {
    sim.knobs().slowRate(1);
    long before = sim.stats().slow("GetStreamSession");
    SdkClientException e = assertThrows(SdkClientException.class, () -> call(0));
    assertInstanceOf(ApiCallAttemptTimeoutException.class, e, e.toString());
    assertTrue(
        sim.stats().slow("GetStreamSession") - before > 1, "attempts timed out and were retried");
  }

  @Test
  void faultsAreReproducibleForTheSameSeed() {
    sim.knobs().serverErrorRate(0.5);
    StringBuilder first = new StringBuilder();
    StringBuilder second = new StringBuilder();
    // A warm-up round first: other tests may have left a call cut short mid-way (the SDK gave up
    // after its retries), which the simulator continues; after a 200 every call starts afresh.
    for (StringBuilder sb : new StringBuilder[] {new StringBuilder(), first, second}) {
      for (int i = 0; i < channel.sessions().size(); i++) {
        long before = sim.stats().serverErrors("GetStreamSession");
        call(i);
        sb.append(sim.stats().serverErrors("GetStreamSession") - before).append(',');
      }
    }
    assertEquals(first.toString(), second.toString());
  }

  @Test
  void theSimulatorCountsAttemptsWhateverTheClientSays() throws Exception {
    sim.knobs().serverErrorRate(0.5);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<List<Integer>> rounds = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      List<Integer> failuresBeforeSuccess = new ArrayList<>();
      for (Channel ch : sim.fleet().channels()) {
        for (Fleet.Session s : ch.sessions()) {
          int failures = 0;
          // Every attempt says it is the first, as a client with its own retries turned off does.
          while (post(http, ch.arn(), s.streamId()) == 500) {
            failures++;
            assertTrue(
                failures < 40, "the retries of a failing request meet later attempts of the plan");
          }
          failuresBeforeSuccess.add(failures);
        }
      }
      rounds.add(failuresBeforeSuccess);
    }
    // Round 0 may continue calls other tests cut short; from then on every fresh call meets the
    // same plan.
    assertEquals(rounds.get(1), rounds.get(2));
    assertTrue(
        rounds.get(1).stream().anyMatch(n -> n > 0),
        "some first attempts failed: " + rounds.get(1));
    assertTrue(
        rounds.get(1).stream().anyMatch(n -> n == 0),
        "some first attempts succeeded: " + rounds.get(1));
  }

  private static int post(HttpClient http, String channelArn, String streamId) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(sim.endpoint() + "/GetStreamSession"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIAFAKE/20240506/us-west-2/ivs/aws4_request, "
                    + "SignedHeaders=host, Signature=0")
            .header("amz-sdk-request", "attempt=1; max=1")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"channelArn\":\"" + channelArn + "\",\"streamId\":\"" + streamId + "\"}",
                    StandardCharsets.UTF_8))
            .build();
    return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
