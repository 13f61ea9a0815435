package io.ivsanalytics.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivsanalytics.simulator.Fleet.Channel;
import io.ivsanalytics.simulator.Fleet.Event;
import io.ivsanalytics.simulator.Fleet.Session;
import io.ivsanalytics.simulator.Fleet.VideoTrack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetGeneratorTest {
  static final Instant ANCHOR = Instant.parse("2024-05-06T12:00:00Z");
  static final SimulatorConfig BIG =
      SimulatorConfig.builder()
          .seed(99)
          .accounts("111122223333", "444455556666")
          .regions("us-west-2", "eu-central-1")
          .channelsPerAccountRegion(40)
          .days(10)
          .sessionsPerChannelPerDay(3)
          .anchor(ANCHOR)
          .build();
  static final Fleet FLEET = FleetGenerator.generate(BIG.fleet());

  @Test
  void sameSeedSameFleetOtherSeedOtherFleet() {
    SimulatorConfig.Builder b =
        SimulatorConfig.builder().channelsPerAccountRegion(6).days(3).anchor(ANCHOR);
    Fleet a = FleetGenerator.generate(b.seed(1).build().fleet());
    assertEquals(a.channels(), FleetGenerator.generate(b.seed(1).build().fleet()).channels());
    assertNotEquals(a.channels(), FleetGenerator.generate(b.seed(2).build().fleet()).channels());
  }

  @Test
  void aSmallFleetStillHasEveryChannelTypeInEachAccountRegion() {
    Fleet small =
        FleetGenerator.generate(
            SimulatorConfig.builder()
                .seed(9)
                .regions("us-west-2", "eu-west-1")
                .channelsPerAccountRegion(4)
                .days(1)
                .anchor(ANCHOR)
                .build()
                .fleet());
    for (String region : List.of("us-west-2", "eu-west-1")) {
      assertEquals(
          Set.of("BASIC", "STANDARD", "ADVANCED_SD", "ADVANCED_HD"),
          small.channels("123456789012", region).stream()
              .map(Channel::type)
              .collect(Collectors.toSet()));
    }
  }

  @Test
  void coversEveryChannelShapeTheJobMustHandle() {
    List<Channel> cs = FLEET.channels();
    assertEquals(160, cs.size());
    assertEquals(
        Set.of("BASIC", "STANDARD", "ADVANCED_SD", "ADVANCED_HD"), values(cs, Channel::type));
    assertEquals(Set.of("LOW", "NORMAL"), values(cs, Channel::latencyMode));
    assertEquals(Set.of("TS", "FRAGMENTED_MP4"), values(cs, Channel::containerFormat));
    assertTrue(cs.stream().anyMatch(c -> c.recording() != null));
    assertTrue(cs.stream().anyMatch(c -> c.recording() == null));
    assertTrue(
        cs.stream().allMatch(c -> c.srtPassphrase().length() >= 16 && !c.srtEndpoint().isEmpty()));
    assertTrue(
        cs.stream()
            .flatMap(c -> c.tags().values().stream())
            .anyMatch(v -> v.chars().anyMatch(ch -> ch > 127)),
        "unicode tag values");
    for (Channel c : cs) {
      if (c.multitrackEnabled()) {
        assertEquals("STANDARD", c.type());
        assertEquals("FRAGMENTED_MP4", c.containerFormat());
      }
      assertTrue(
          c.arn().matches("arn:aws:ivs:[a-z0-9-]+:\\d{12}:channel/[A-Za-z0-9]{12}"), c.arn());
      assertTrue(c.name().matches("[a-zA-Z0-9-_]*"), c.name());
    }
    assertTrue(cs.stream().anyMatch(Channel::multitrackEnabled));
  }

  @Test
  void sessionsAreOrderedDisjointAndInsideTheHistory() {
    Set<String> ids = new HashSet<>();
    for (Channel c : FLEET.channels()) {
      assertFalse(c.sessions().isEmpty());
      for (int i = 0; i < c.sessions().size(); i++) {
        Session s = c.sessions().get(i);
        assertTrue(ids.add(s.streamId()));
        assertTrue(s.streamId().matches("st-[A-Za-z0-9]{23}"), s.streamId());
        assertTrue(
            s.startTime().isBefore(ANCHOR)
                && !s.startTime().isBefore(ANCHOR.minus(Duration.ofDays(10))));
        if (i > 0) {
          assertTrue(s.endTime() != null, "only the latest session can be live");
          assertTrue(s.endTime().isBefore(c.sessions().get(i - 1).startTime()), "no overlap");
        }
        if (s.endTime() != null) {
          assertTrue(s.endTime().isAfter(s.startTime()));
          assertFalse(s.endTime().isAfter(ANCHOR));
        }
      }
    }
    assertTrue(all().anyMatch(s -> s.endTime() == null), "live sessions");
  }

  @Test
  void tracksCoverMultitrackLegacyCodecsAndOverLimitEncoders() {
    assertTrue(all().anyMatch(s -> s.video().size() == 3));
    assertTrue(all().anyMatch(s -> s.video().size() == 2));
    assertTrue(
        all()
            .filter(Session::legacy)
            .allMatch(s -> s.video().size() == 1 && s.video().get(0).track() == null));
    assertTrue(all().anyMatch(Session::legacy));
    List<VideoTrack> video = all().flatMap(s -> s.video().stream()).toList();
    Set<String> codecs = video.stream().map(VideoTrack::codec).collect(Collectors.toSet());
    assertTrue(
        codecs.contains("avc1.64002A") && codecs.stream().anyMatch(c -> c.startsWith("hvc1.")),
        codecs.toString());
    assertTrue(video.stream().anyMatch(v -> v.videoHeight() == 1440));
    assertTrue(video.stream().anyMatch(v -> v.targetFramerate() == 120));
    assertTrue(video.stream().anyMatch(v -> v.targetBitrate() > 8_500_000));
    assertTrue(
        FLEET.channels().stream()
            .filter(c -> c.type().equals("BASIC"))
            .flatMap(c -> c.sessions().stream())
            .flatMap(s -> s.video().stream())
            .anyMatch(v -> v.targetBitrate() > 3_500_000));
    assertTrue(all().flatMap(s -> s.audio().stream()).anyMatch(a -> a.codec().equals("mp4a.40.2")));
  }

  @Test
  void eventsAreMostRecentFirstCappedAt500WithTakeoverCodes() {
    Set<String> codes = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (Session s : all().toList()) {
      List<Event> ev = s.events();
      assertTrue(ev.size() <= 500);
      for (int i = 1; i < ev.size(); i++) {
        assertFalse(ev.get(i).eventTime().isAfter(ev.get(i - 1).eventTime()), "most recent first");
      }
      for (Event e : ev) {
        names.add(e.name());
        if (e.code() != null) {
          codes.add(e.code());
          assertEquals("Stream Takeover Failure", e.name());
        }
      }
    }
    assertTrue(all().anyMatch(s -> s.events().size() == 500), "some sessions reach the cap");
    assertEquals(
        Set.of(
            "StreamTakeoverInvalidPriority",
            "StreamTakeoverMediaMismatch",
            "StreamTakeoverLimitBreached"),
        codes);
    assertTrue(
        names.containsAll(
            Set.of(
                "Session Created",
                "Session Ended",
                "Stream Takeover",
                "Stream Takeover Failure",
                "Starvation Start",
                "Starvation End",
                "Recording Start",
                "Recording End")),
        names.toString());
  }

  @Test
  void rendererWritesThePassphraseOnlyWhenAskedAndIsoMillisTimes() throws IOException {
    Channel c = FLEET.channels().get(0);
    Session s = c.sessions().get(c.sessions().size() - 1);
    String withSecret = SessionJson.getStreamSessionResponse(c, s, true);
    String without = SessionJson.getStreamSessionResponse(c, s, false);
    assertTrue(withSecret.contains(c.srtPassphrase()));
    assertFalse(without.contains(c.srtPassphrase()));
    assertFalse(without.contains("passphrase"));
    JsonNode n = new ObjectMapper().readTree(without).get("streamSession");
    assertTrue(
        n.get("startTime").asText().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"));
    assertEquals(s.startTime(), Instant.parse(n.get("startTime").asText()));
    assertEquals(c.tags().size(), n.path("channel").path("tags").size());
  }

  @Test
  void idsFileListsChannelsOrSessions(@TempDir Path dir) throws IOException {
    SimulatorConfig cfg =
        SimulatorConfig.builder().channelsPerAccountRegion(3).days(2).anchor(ANCHOR).build();
    Fleet f = FleetGenerator.generate(cfg.fleet());
    Path channels = dir.resolve("channels.csv");
    assertEquals(3, f.writeIdsFile(channels, false));
    List<String> lines = Files.readAllLines(channels, StandardCharsets.UTF_8);
    assertEquals("channel_arn,stream_id", lines.get(0));
    assertEquals(f.channels().get(0).arn() + ",", lines.get(1));
    Path sessions = dir.resolve("sub/sessions.csv");
    assertEquals(f.sessionCount(), f.writeIdsFile(sessions, true));
    List<String> rows = Files.readAllLines(sessions, StandardCharsets.UTF_8);
    assertEquals(f.sessionCount() + 1, rows.size());
    assertEquals(
        f.channels().get(0).arn() + "," + f.channels().get(0).sessions().get(0).streamId(),
        rows.get(1));
  }

  private static java.util.stream.Stream<Session> all() {
    return FLEET.channels().stream().flatMap(c -> c.sessions().stream());
  }

  private static <T> Set<T> values(List<Channel> cs, java.util.function.Function<Channel, T> f) {
    return cs.stream().map(f).collect(Collectors.toSet());
  }
}
