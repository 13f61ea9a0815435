package io.ivsanalytics.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.simulator.Fleet.Channel;
import io.ivsanalytics.simulator.Fleet.Session;
import io.ivsanalytics.testing.WithSimulator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ivs.IvsClient;
import software.amazon.awssdk.services.ivs.model.AccessDeniedException;
import software.amazon.awssdk.services.ivs.model.BatchGetChannelResponse;
import software.amazon.awssdk.services.ivs.model.ChannelSummary;
import software.amazon.awssdk.services.ivs.model.GetStreamSessionResponse;
import software.amazon.awssdk.services.ivs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ivs.model.StreamEvent;
import software.amazon.awssdk.services.ivs.model.StreamSession;
import software.amazon.awssdk.services.ivs.model.StreamSessionSummary;
import software.amazon.awssdk.services.ivs.model.ThrottlingException;
import software.amazon.awssdk.services.ivs.model.ValidationException;
import software.amazon.awssdk.services.ivs.model.VideoConfiguration;

@WithSimulator
class SimulatorSdkTest {
  static final String ACCOUNT_A = "111122223333";
  static final String ACCOUNT_B = "444455556666";
  static IvsSimulator sim;

  static SimulatorConfig simulatorConfig() {
    return SimulatorConfig.builder()
        .seed(42)
        .accounts(ACCOUNT_A, ACCOUNT_B)
        .regions("us-west-2", "eu-west-1")
        .channelsPerAccountRegion(12)
        .days(4)
        .sessionsPerChannelPerDay(2)
        .anchor(Instant.parse("2024-05-06T12:00:00Z"))
        .tps(1000)
        .build();
  }

  @AfterEach
  void resetKnobs() {
    sim.knobs().tps(1000).serverErrorRate(0).resetRate(0).malformedRate(0).slowRate(0);
    sim.knobs().forbiddenIds().clear();
  }

  static IvsClient client(String region, String accessKey, boolean retries) {
    return IvsClient.builder()
        .endpointOverride(sim.endpoint())
        .region(Region.of(region))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "fake-secret")))
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(
            o -> {
              if (!retries) {
                o.retryPolicy(RetryPolicy.none());
              }
            })
        .build();
  }

  static IvsClient client() {
    return client("us-west-2", "AKIAFAKE", false);
  }

  Session findSession(Predicate<Session> p, Predicate<Channel> c) {
    for (Channel ch : sim.fleet().channels()) {
      if (!c.test(ch)) {
        continue;
      }
      for (Session s : ch.sessions()) {
        if (p.test(s)) {
          return s;
        }
      }
    }
    throw new AssertionError("fleet has no such session");
  }

  Channel channelOf(Session s) {
    return sim.fleet().channels().stream()
        .filter(c -> c.sessions().contains(s))
        .findFirst()
        .orElseThrow();
  }

  StreamSession get(Session s) {
    try (IvsClient ivs = client()) {
      GetStreamSessionResponse r =
          ivs.getStreamSession(b -> b.channelArn(channelOf(s).arn()).streamId(s.streamId()));
      return r.streamSession();
    }
  }

  @Test
  void getStreamSessionParsesMultitrackSessionWithRecording() {
    Session s =
        findSession(
            x -> x.video().size() == 3 && x.withRecording() && x.endTime() != null, c -> true);
    Channel ch = channelOf(s);
    StreamSession got = get(s);
    assertEquals(s.streamId(), got.streamId());
    assertEquals(s.startTime(), got.startTime());
    assertEquals(s.endTime(), got.endTime());
    assertEquals(ch.arn(), got.channel().arn());
    assertEquals("STANDARD", got.channel().typeAsString());
    assertEquals("FRAGMENTED_MP4", got.channel().containerFormatAsString());
    assertTrue(got.channel().multitrackInputConfiguration().enabled());
    assertEquals(ch.tags(), got.channel().tags());
    assertEquals(
        ch.srtPassphrase(), got.channel().srt().passphrase(), "the API returns the passphrase");
    List<VideoConfiguration> video = got.ingestConfigurations().videoConfigurations();
    assertEquals(
        List.of("Track0", "Track1", "Track2"),
        video.stream().map(VideoConfiguration::track).toList());
    for (int i = 0; i < 3; i++) {
      assertEquals(s.video().get(i).targetBitrate(), video.get(i).targetBitrate());
      assertEquals(s.video().get(i).videoHeight(), video.get(i).videoHeight());
      assertEquals(s.video().get(i).codec(), video.get(i).codec());
    }
    assertEquals(
        "Track0", got.ingestConfiguration().video().track(), "deprecated field describes track 0");
    assertEquals(1, got.ingestConfigurations().audioConfigurations().size());
    assertEquals(
        s.audio().get(0).sampleRate(),
        got.ingestConfigurations().audioConfigurations().get(0).sampleRate());
    assertEquals(ch.recording().arn(), got.recordingConfiguration().arn());
    assertEquals(
        ch.recording().s3Bucket(),
        got.recordingConfiguration().destinationConfiguration().s3().bucketName());
    assertEquals("ACTIVE", got.recordingConfiguration().stateAsString());
    assertEquals(
        ch.recording().renditionSelection(),
        got.recordingConfiguration().renditionConfiguration().renditionSelectionAsString());
    assertEquals(
        ch.recording().thumbnailRecordingMode(),
        got.recordingConfiguration().thumbnailConfiguration().recordingModeAsString());
    assertEquals(
        ch.recording().recordingReconnectWindowSeconds(),
        got.recordingConfiguration().recordingReconnectWindowSeconds());
    assertEquals(s.events().size(), got.truncatedEvents().size());
    for (int i = 0; i < s.events().size(); i++) {
      StreamEvent e = got.truncatedEvents().get(i);
      assertEquals(s.events().get(i).name(), e.name());
      assertEquals(s.events().get(i).type(), e.type());
      assertEquals(s.events().get(i).eventTime(), e.eventTime());
      assertEquals(s.events().get(i).code(), e.code());
    }
    assertEquals("Session Ended", got.truncatedEvents().get(0).name(), "most recent first");
  }

  @Test
  void getStreamSessionParsesLegacyAndLiveSessions() {
    Session legacy = findSession(Session::legacy, c -> true);
    StreamSession got = get(legacy);
    assertNull(got.ingestConfigurations(), "legacy sessions have only the deprecated shape");
    assertNotNull(got.ingestConfiguration().video().codec());
    assertEquals(
        legacy.video().get(0).targetFramerate(),
        got.ingestConfiguration().video().targetFramerate());
    assertNull(got.ingestConfiguration().video().track());

    Session live = findSession(s -> s.endTime() == null, c -> true);
    StreamSession gotLive = get(live);
    assertNull(gotLive.endTime());
    assertNotEquals("Session Ended", gotLive.truncatedEvents().get(0).name());
  }

  @Test
  void getStreamSessionWithoutStreamIdReturnsLatest() {
    Channel ch = sim.fleet().channels().get(3);
    try (IvsClient ivs = client()) {
      assertEquals(
          ch.sessions().get(0).streamId(),
          ivs.getStreamSession(b -> b.channelArn(ch.arn())).streamSession().streamId());
    }
  }

  @Test
  void listStreamSessionsPaginatorReturnsEverySessionOnceMostRecentFirst() {
    Channel ch =
        sim.fleet().channels().stream()
            .filter(c -> c.sessions().size() >= 7)
            .findFirst()
            .orElseThrow();
    try (IvsClient ivs = client()) {
      List<StreamSessionSummary> all = new ArrayList<>();
      int[] pages = {0};
      ivs.listStreamSessionsPaginator(b -> b.channelArn(ch.arn()).maxResults(3))
          .forEach(
              p -> {
                pages[0]++;
                assertTrue(p.streamSessions().size() <= 3);
                all.addAll(p.streamSessions());
              });
      assertEquals(
          ch.sessions().stream().map(Session::streamId).toList(),
          all.stream().map(StreamSessionSummary::streamId).toList());
      assertEquals((ch.sessions().size() + 2) / 3, pages[0]);
      for (int i = 1; i < all.size(); i++) {
        assertTrue(all.get(i - 1).startTime().isAfter(all.get(i).startTime()));
      }
      assertEquals(ch.sessions().get(0).hasErrorEvent(), all.get(0).hasErrorEvent());
    }
  }

  @Test
  void listChannelsPaginatorUsesTheRegionAndAccountOfTheCredentials() {
    try (IvsClient ivs = client("eu-west-1", "AKIA" + ACCOUNT_B, false)) {
      List<ChannelSummary> all = new ArrayList<>();
      ivs.listChannelsPaginator(b -> b.maxResults(5)).forEach(p -> all.addAll(p.channels()));
      assertEquals(
          sim.fleet().channels(ACCOUNT_B, "eu-west-1").stream().map(Channel::arn).toList(),
          all.stream().map(ChannelSummary::arn).toList());
      assertEquals(12, new HashSet<>(all).size());
      Channel first = sim.fleet().channels(ACCOUNT_B, "eu-west-1").get(0);
      assertEquals(first.tags(), all.get(0).tags());
      assertEquals(first.type(), all.get(0).typeAsString());
    }
    try (IvsClient ivs = client()) {
      assertTrue(
          ivs.listChannels(b -> b.build()).channels().stream()
              .allMatch(c -> c.arn().contains(":us-west-2:" + ACCOUNT_A + ":")),
          "default: first account");
      Channel named = sim.fleet().channels(ACCOUNT_A, "us-west-2").get(4);
      List<String> filtered =
          ivs.listChannels(b -> b.filterByName(named.name())).channels().stream()
              .map(ChannelSummary::name)
              .toList();
      assertTrue(
          filtered.contains(named.name())
              && filtered.stream().allMatch(n -> n.contains(named.name())),
          filtered.toString());
    }
  }

  @Test
  void batchGetChannelReturnsChannelsAndErrors() {
    Channel a = sim.fleet().channels().get(0);
    Channel b = sim.fleet().channels().get(1);
    String missing = "arn:aws:ivs:us-west-2:" + ACCOUNT_A + ":channel/doesNotExist1";
    try (IvsClient ivs = client()) {
      BatchGetChannelResponse r = ivs.batchGetChannel(x -> x.arns(a.arn(), b.arn(), missing));
      assertEquals(List.of(a.arn(), b.arn()), r.channels().stream().map(c -> c.arn()).toList());
      assertEquals(1, r.errors().size());
      assertEquals(missing, r.errors().get(0).arn());
      assertEquals("ResourceNotFoundException", r.errors().get(0).code());
      assertEquals(a.srtEndpoint(), r.channels().get(0).srt().endpoint());
      assertEquals(a.arn(), ivs.getChannel(x -> x.arn(a.arn())).channel().arn());
    }
  }

  @Test
  void unknownChannelAndStreamAre404() {
    Channel ch = sim.fleet().channels().get(0);
    try (IvsClient ivs = client()) {
      ResourceNotFoundException e =
          assertThrows(
              ResourceNotFoundException.class,
              () ->
                  ivs.getStreamSession(
                      b ->
                          b.channelArn(
                                  "arn:aws:ivs:us-west-2:" + ACCOUNT_A + ":channel/nope12345678")
                              .streamId(ch.sessions().get(0).streamId())));
      assertEquals(404, e.statusCode());
      assertNotNull(e.requestId());
      assertThrows(
          ResourceNotFoundException.class,
          () -> ivs.getStreamSession(b -> b.channelArn(ch.arn()).streamId("st-" + "A".repeat(23))));
      assertThrows(
          ResourceNotFoundException.class,
          () ->
              ivs.listStreamSessions(
                  b ->
                      b.channelArn(
                          "arn:aws:ivs:us-west-2:" + ACCOUNT_A + ":channel/nope12345678")));
    }
  }

  @Test
  void badInputIsValidationException() {
    Channel ch = sim.fleet().channels().get(0);
    try (IvsClient ivs = client()) {
      ValidationException e =
          assertThrows(
              ValidationException.class,
              () ->
                  ivs.getStreamSession(
                      b ->
                          b.channelArn("arn:aws:ivs:us-west-2:123:stream-key/x").streamId("st-1")));
      assertEquals(400, e.statusCode());
      // like IVS, the message is in the modeled exceptionMessage field, not in the SDK's generic
      // message
      assertTrue(e.exceptionMessage().contains("stream-key/x"), e.exceptionMessage());
      assertEquals("ValidationException", e.awsErrorDetails().errorCode());
      assertThrows(ValidationException.class, () -> ivs.getStreamSession(b -> b.streamId("st-1")));
      assertThrows(
          ValidationException.class,
          () -> ivs.listStreamSessions(b -> b.channelArn(ch.arn()).maxResults(101)));
      assertThrows(
          ValidationException.class,
          () -> ivs.listStreamSessions(b -> b.channelArn(ch.arn()).maxResults(0)));
      assertThrows(
          ValidationException.class,
          () -> ivs.listStreamSessions(b -> b.channelArn(ch.arn()).nextToken("bm90LWEtdG9rZW4")));
      assertThrows(ValidationException.class, () -> ivs.listChannels(b -> b.nextToken("garbage")));
    }
  }

  @Test
  void forbiddenIdIsAccessDenied() {
    Channel ch = sim.fleet().channels().get(2);
    Session s = ch.sessions().get(0);
    sim.knobs().forbiddenIds().add(s.streamId());
    try (IvsClient ivs = client()) {
      AccessDeniedException e =
          assertThrows(
              AccessDeniedException.class,
              () -> ivs.getStreamSession(b -> b.channelArn(ch.arn()).streamId(s.streamId())));
      assertEquals(403, e.statusCode());
      sim.knobs().forbiddenIds().add(ch.arn());
      assertThrows(
          AccessDeniedException.class, () -> ivs.listStreamSessions(b -> b.channelArn(ch.arn())));
    }
  }

  @Test
  void pastTheQuotaIsThrottlingException() {
    sim.knobs().tps(2);
    Channel ch = sim.fleet().channels(ACCOUNT_B, "us-west-2").get(0);
    long before = sim.stats().throttled("GetStreamSession");
    try (IvsClient ivs = client("us-west-2", "AKIA" + ACCOUNT_B, false)) {
      ThrottlingException e =
          assertThrows(
              ThrottlingException.class,
              () -> {
                for (int i = 0; i < 50; i++) {
                  ivs.getStreamSession(
                      b -> b.channelArn(ch.arn()).streamId(ch.sessions().get(0).streamId()));
                }
              });
      assertEquals(429, e.statusCode());
      assertTrue(e.isThrottlingException());
    }
    assertTrue(sim.stats().throttled("GetStreamSession") > before);
  }

  @Test
  void quotaBucketsArePerAccountRegion() {
    sim.knobs().tps(1);
    Channel a = sim.fleet().channels(ACCOUNT_A, "eu-west-1").get(0);
    Channel b = sim.fleet().channels(ACCOUNT_B, "eu-west-1").get(1);
    try (IvsClient ivs = client("eu-west-1", "AKIA" + ACCOUNT_A, false);
        IvsClient ivsB = client("eu-west-1", "AKIA" + ACCOUNT_B, false)) {
      // one token per bucket: one call per (account, region) passes, a second one in the same
      // bucket fails
      Set<String> ok = new HashSet<>();
      for (Channel c : List.of(a, b)) {
        (c == a ? ivs : ivsB).getChannel(x -> x.arn(c.arn()));
        ok.add(c.accountId());
      }
      assertEquals(Set.of(ACCOUNT_A, ACCOUNT_B), ok);
      assertThrows(ThrottlingException.class, () -> ivs.getChannel(x -> x.arn(a.arn())));
    }
  }

  private static void assertNotEquals(Object a, Object b) {
    org.junit.jupiter.api.Assertions.assertNotEquals(a, b);
  }

  static Set<String> ids(List<Channel> cs) {
    return cs.stream().map(Channel::arn).collect(Collectors.toSet());
  }

  @Test
  void boundToLoopbackOnly() {
    assertTrue(sim.address().getAddress().isLoopbackAddress());
    assertEquals("127.0.0.1", sim.address().getAddress().getHostAddress());
    assertFalse(sim.endpoint().toString().contains("0.0.0.0"));
  }
}
