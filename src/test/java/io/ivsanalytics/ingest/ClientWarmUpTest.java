package io.ivsanalytics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ivsanalytics.simulator.Fleet;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The warm-up before a fan-out runs a request through the client's whole pipeline without sending
 * it: the IVS server sees nothing (no share of the quota spent), and the client works afterwards.
 */
class ClientWarmUpTest {
  @Test
  void warmUpSendsNothingAndLeavesTheClientWorking() {
    try (IvsSimulator sim =
        IvsSimulator.start(
            SimulatorConfig.builder()
                .seed(5)
                .accounts("111122223333")
                .regions("us-west-2")
                .channelsPerAccountRegion(1)
                .days(1)
                .sessionsPerChannelPerDay(2)
                .anchor(Instant.parse("2024-05-06T00:00:00Z"))
                .tps(5)
                .build())) {
      ClientSettings settings = new ClientSettings(sim.endpoint().toString(), 2000, 5000, 4);
      IvsClients.warmUp(settings, "111122223333/us-west-2");
      IvsClients.warmUp(settings, "111122223333/us-west-2");
      assertEquals(0, sim.stats().totalRequests(), "the warm-up reached the server");

      Fleet.Channel channel = sim.fleet().channels().get(0);
      String streamId = channel.sessions().get(0).streamId();
      String answered =
          IvsClients.forAccountRegion(settings, "111122223333/us-west-2")
              .getStreamSession(r -> r.channelArn(channel.arn()).streamId(streamId))
              .streamSession()
              .streamId();
      assertEquals(streamId, answered);
      assertEquals(1, sim.stats().requests("GetStreamSession"));
    }
  }
}
