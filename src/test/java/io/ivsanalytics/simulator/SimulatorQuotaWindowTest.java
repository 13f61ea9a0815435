package io.ivsanalytics.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.simulator.Fleet.Channel;
import io.ivsanalytics.simulator.SimulatorStats.QuotaWindow;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ivs.IvsClient;
import software.amazon.awssdk.services.ivs.model.ThrottlingException;

class SimulatorQuotaWindowTest {

  @Test
  void quotaWindowsCountRequestsAndThrottlesPerAccountRegionWithArrivalSpan() {
    // a bucket of one token refilled every 1000 s: per (account, region) the first call passes, the
    // rest are 429
    try (IvsSimulator sim =
            IvsSimulator.start(
                SimulatorConfig.builder()
                    .seed(7)
                    .accounts("111122223333", "444455556666")
                    .regions("us-west-2")
                    .channelsPerAccountRegion(1)
                    .days(2)
                    .sessionsPerChannelPerDay(2)
                    .anchor(Instant.parse("2024-05-06T00:00:00Z"))
                    .tps(0.001)
                    .latencyMs(0)
                    .latencyJitterMs(0)
                    .build());
        IvsClient ivs = client(sim, "AKIA111122223333");
        IvsClient ivsB = client(sim, "AKIA444455556666")) {
      Channel a = sim.fleet().channels("111122223333", "us-west-2").get(0);
      Channel b = sim.fleet().channels("444455556666", "us-west-2").get(0);
      long before = System.currentTimeMillis();
      for (int i = 0; i < 3; i++) {
        get(ivs, a, i);
      }
      get(ivsB, b, 0);
      long after = System.currentTimeMillis();

      Map<String, QuotaWindow> w = sim.stats().quotaWindows("GetStreamSession");
      assertEquals(Set.of("111122223333/us-west-2", "444455556666/us-west-2"), w.keySet());
      QuotaWindow wa = w.get("111122223333/us-west-2");
      assertEquals(3, wa.requests());
      assertEquals(2, wa.throttled());
      assertTrue(
          before <= wa.firstMillis()
              && wa.firstMillis() <= wa.lastMillis()
              && wa.lastMillis() <= after,
          wa.toString());
      QuotaWindow wb = w.get("444455556666/us-west-2");
      assertEquals(1, wb.requests());
      assertEquals(0, wb.throttled());
      assertEquals(0.0, wb.requestsPerSecond());
      assertTrue(sim.stats().quotaWindows("ListStreamSessions").isEmpty());
    }
  }

  private static IvsClient client(IvsSimulator sim, String accessKey) {
    return IvsClient.builder()
        .endpointOverride(sim.endpoint())
        .region(Region.US_WEST_2)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "fake")))
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()))
        .build();
  }

  private static void get(IvsClient ivs, Channel c, int call) {
    String stream = c.sessions().get(0).streamId();
    if (call == 0) {
      ivs.getStreamSession(x -> x.channelArn(c.arn()).streamId(stream));
    } else {
      assertThrows(
          ThrottlingException.class,
          () -> ivs.getStreamSession(x -> x.channelArn(c.arn()).streamId(stream)));
    }
  }
}
