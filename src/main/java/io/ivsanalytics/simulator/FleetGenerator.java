package io.ivsanalytics.simulator;

import io.ivsanalytics.simulator.Fleet.AudioTrack;
import io.ivsanalytics.simulator.Fleet.Channel;
import io.ivsanalytics.simulator.Fleet.Event;
import io.ivsanalytics.simulator.Fleet.RecordingConfiguration;
import io.ivsanalytics.simulator.Fleet.Session;
import io.ivsanalytics.simulator.Fleet.VideoTrack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds a realistic, seeded IVS fleet: all four channel types, both latency modes, TS and fMP4,
 * multitrack on STANDARD + FRAGMENTED_MP4, recording configurations, live sessions, legacy sessions
 * (deprecated {@code ingestConfiguration} only), takeover and starvation events, a few sessions
 * with the 500-event cap, encoders above the channel-type limits and unicode tags.
 *
 * <p>Every channel is a pure function of (seed, account, region, index), so a fleet, a single
 * channel and the raw-archive generator agree on the data for the same inputs.
 */
public final class FleetGenerator {
  static final int MAX_EVENTS = 500;
  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String HEX = "0123456789abcdef";
  private static final String[] TYPES = {"BASIC", "STANDARD", "ADVANCED_SD", "ADVANCED_HD"};
  private static final String[] WORDS = {
    "studio",
    "arena",
    "lobby",
    "stage",
    "newsroom",
    "kitchen",
    "garage",
    "lab",
    "court",
    "field",
    "gallery",
    "dock"
  };
  private static final String[] TITLES = {
    "Café Live",
    "ライブ配信",
    "Привет мир",
    "東京 スタジオ",
    "Fútbol en vivo",
    "Ölçüm",
    "Zürich Nord",
    "라이브 쇼",
    "Morning Show",
    "Ελληνικά"
  };
  private static final String[] TEAMS = {"sports", "news", "gaming", "music", "education"};
  private static final String[] ENCODERS = {
    "obs-output module (libobs version 30.1.2)",
    "obs-output module (libobs version 29.0.2)",
    "Lavf60.16.100",
    "Lavf58.76.100",
    "Larix Broadcaster",
    "Amazon IVS Web Broadcast SDK",
    "vMix"
  };
  private static final String STREAM_STATE = "IVS Stream State Change";
  private static final String RECORDING_STATE = "IVS Recording State Change";
  private static final String STREAM_HEALTH = "IVS Stream Health Change";
  private static final String[] TAKEOVER_CODES = {
    "StreamTakeoverInvalidPriority", "StreamTakeoverMediaMismatch", "StreamTakeoverLimitBreached"
  };

  private FleetGenerator() {}

  /** The fleet {@code cfg} describes: every (account, region) gets the same number of channels. */
  public static Fleet generate(FleetSpec cfg) {
    List<Channel> channels = new ArrayList<>();
    for (String account : cfg.accounts()) {
      for (String region : cfg.regions()) {
        for (int i = 0; i < cfg.channelsPerAccountRegion(); i++) {
          Channel ch = channel(cfg.seed(), account, region, i);
          SplittableRandom rng =
              new SplittableRandom(mix(cfg.seed(), account + "/" + region + "/sessions", i));
          channels.add(
              ch.withSessions(
                  sessions(
                      ch,
                      rng,
                      cfg.anchor(),
                      cfg.days(),
                      cfg.sessionsPerChannelPerDay(),
                      Integer.MAX_VALUE)));
        }
      }
    }
    channels.sort(
        Comparator.comparing(Channel::accountId)
            .thenComparing(Channel::region)
            .thenComparing(Channel::arn));
    return new Fleet(channels);
  }

  /** Channel number {@code index} of (account, region), without sessions. */
  public static Channel channel(long seed, String account, String region, int index) {
    SplittableRandom r =
        new SplittableRandom(mix(seed, account + "/" + region + "/channel", index));
    String id = random(r, ALNUM, 12);
    String arn = "arn:aws:ivs:" + region + ":" + account + ":channel/" + id;
    String drawn = pick(r, TYPES, 0.3, 0.4, 0.15, 0.15);
    // The first channels of each account/region cover every type, so even a small fleet does.
    String type = index < TYPES.length ? TYPES[index] : drawn;
    String latency = r.nextDouble() < 0.7 ? "LOW" : "NORMAL";
    boolean fmp4 =
        switch (type) {
          case "STANDARD" -> r.nextDouble() < 0.45;
          case "BASIC" -> r.nextDouble() < 0.05;
          default -> r.nextDouble() < 0.2;
        };
    boolean multitrack = type.equals("STANDARD") && fmp4 && r.nextDouble() < 0.75;
    String policy = multitrack && r.nextDouble() < 0.4 ? "REQUIRE" : "ALLOW";
    String maxRes =
        multitrack ? pick(r, new String[] {"FULL_HD", "HD", "SD"}, 0.7, 0.2, 0.1) : "FULL_HD";
    String preset =
        type.startsWith("ADVANCED")
            ? (r.nextDouble() < 0.6
                ? "HIGHER_BANDWIDTH_DELIVERY"
                : "CONSTRAINED_BANDWIDTH_DELIVERY")
            : "";
    String word = WORDS[r.nextInt(WORDS.length)];
    String name =
        word
            + "-"
            + String.format(java.util.Locale.ROOT, "%03d", index)
            + (r.nextBoolean() ? "_hd" : "");
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("team", TEAMS[r.nextInt(TEAMS.length)]);
    tags.put("env", r.nextDouble() < 0.8 ? "prod" : "staging");
    if (r.nextDouble() < 0.6) {
      tags.put("title", TITLES[r.nextInt(TITLES.length)]);
    }
    if (r.nextDouble() < 0.2) {
      tags.put("cost-center", "cc-" + (1000 + r.nextInt(9000)));
    }
    RecordingConfiguration recording = r.nextDouble() < 0.5 ? recording(r, account, region) : null;
    String host = random(r, HEX, 12);
    return new Channel(
        arn,
        account,
        region,
        id,
        name,
        type,
        latency,
        fmp4 ? "FRAGMENTED_MP4" : "TS",
        preset,
        r.nextDouble() < 0.2,
        r.nextDouble() < 0.1,
        host + ".global-contribute.live-video.net",
        "https://"
            + host
            + "."
            + region
            + ".playback.live-video.net/api/video/v1/"
            + region
            + "."
            + account
            + ".channel."
            + id
            + ".m3u8",
        host + ".srt.live-video.net:9000",
        random(r, ALNUM, 32),
        r.nextDouble() < 0.15
            ? "arn:aws:ivs:"
                + region
                + ":"
                + account
                + ":playback-restriction-policy/"
                + random(r, ALNUM, 12)
            : "",
        r.nextDouble() < 0.05
            ? "arn:aws:ivs:" + region + ":" + account + ":ad-configuration/" + random(r, ALNUM, 12)
            : "",
        multitrack,
        policy,
        maxRes,
        Collections.unmodifiableMap(tags),
        recording,
        List.of());
  }

  private static RecordingConfiguration recording(
      SplittableRandom r, String account, String region) {
    boolean thumbnails = r.nextDouble() < 0.8;
    boolean custom = r.nextDouble() < 0.3;
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("retention", r.nextBoolean() ? "30d" : "90d");
    if (r.nextDouble() < 0.3) {
      tags.put("owner", "Médiathèque");
    }
    return new RecordingConfiguration(
        "arn:aws:ivs:"
            + region
            + ":"
            + account
            + ":recording-configuration/"
            + random(r, ALNUM, 12),
        "rec-" + region + "-" + random(r, HEX, 4),
        "ivs-recordings-" + account + "-" + region,
        "ACTIVE",
        Collections.unmodifiableMap(tags),
        thumbnails ? "INTERVAL" : "DISABLED",
        thumbnails ? (long) pick(r, new Integer[] {60, 30, 10}, 0.6, 0.3, 0.1) : 60L,
        thumbnails
            ? pick(r, new String[] {"HD", "SD", "FULL_HD", "LOWEST_RESOLUTION"}, 0.5, 0.2, 0.2, 0.1)
            : null,
        thumbnails
            ? (r.nextBoolean() ? List.of("SEQUENTIAL") : List.of("SEQUENTIAL", "LATEST"))
            : List.of("SEQUENTIAL"),
        custom ? "CUSTOM" : "ALL",
        custom ? List.of("HD", "SD") : List.of(),
        pick(r, new Integer[] {0, 30, 60, 300}, 0.5, 0.2, 0.2, 0.1));
  }

  /**
   * Sessions of a channel over {@code days} before {@code anchor}, most recent first, at most
   * {@code limit} of them. About a quarter of channels have a live latest session.
   */
  public static List<Session> sessions(
      Channel ch, SplittableRandom r, Instant anchor, int days, double perDay, int limit) {
    double expected = days * perDay;
    int n = (int) Math.max(1, Math.round(expected * (0.5 + r.nextDouble())));
    n = Math.min(n, limit);
    long windowMs = Duration.ofDays(days).toMillis();
    long anchorMs = anchor.toEpochMilli();
    long[] starts = new long[n];
    for (int i = 0; i < n; i++) {
      starts[i] = anchorMs - 1 - (long) (r.nextDouble() * windowMs);
    }
    java.util.Arrays.sort(starts);
    boolean live = r.nextDouble() < 0.25;
    if (live) {
      starts[n - 1] = Math.max(starts[n - 1], anchorMs - (5 + r.nextInt(115)) * 60_000L);
    }
    // sessions older than this cutoff predate multitrack: deprecated ingestConfiguration only
    long legacyBefore = r.nextDouble() < 0.3 ? anchorMs - windowMs / 2 : Long.MIN_VALUE;
    List<Session> out = new ArrayList<>(n);
    for (int i = n - 1; i >= 0; i--) {
      long start = starts[i];
      Long end = null;
      if (!(live && i == n - 1)) {
        long next = i + 1 < n ? starts[i + 1] : anchorMs;
        long dur = (5 + r.nextInt(235)) * 60_000L + r.nextInt(60_000);
        end = Math.min(start + dur, Math.max(start + 1000, next - 1000));
      }
      out.add(session(ch, r, start, end, start < legacyBefore));
    }
    return out;
  }

  private static Session session(
      Channel ch, SplittableRandom r, long startMs, Long endMs, boolean legacy) {
    String streamId = "st-" + random(r, ALNUM, 23);
    boolean rec = ch.recording() != null && r.nextDouble() < 0.9;
    List<VideoTrack> video = video(ch, r, legacy);
    List<AudioTrack> audio = List.of(audio(ch, r, legacy));
    List<Event> events = events(r, startMs, endMs, rec);
    return new Session(
        streamId,
        Instant.ofEpochMilli(startMs),
        endMs == null ? null : Instant.ofEpochMilli(endMs),
        legacy,
        rec,
        video,
        audio,
        events);
  }

  private static List<VideoTrack> video(Channel ch, SplittableRandom r, boolean legacy) {
    int tracks = 1;
    if (ch.multitrackEnabled() && !legacy) {
      tracks =
          ch.multitrackPolicy().equals("REQUIRE") || r.nextDouble() < 0.6 ? 2 + r.nextInt(2) : 1;
    }
    if (tracks > 1) {
      int[][] ladder = {{1920, 1080, 6_000_000}, {1280, 720, 3_000_000}, {852, 480, 1_200_000}};
      int top =
          ch.multitrackMaximumResolution().equals("SD")
              ? 2
              : ch.multitrackMaximumResolution().equals("HD") ? 1 : 0;
      top = Math.min(top, 3 - tracks);
      long fps = r.nextDouble() < 0.7 ? 30 : 60;
      String encoder = "obs-output module (libobs version 30.2.0)";
      List<VideoTrack> out = new ArrayList<>(tracks);
      for (int t = 0; t < tracks; t++) {
        int[] rung = ladder[top + t];
        long bitrate = rung[2] + r.nextInt(rung[2] / 4);
        out.add(
            new VideoTrack(
                "Track" + t,
                "avc1.64002A",
                encoder,
                "High",
                "4.2",
                bitrate,
                fps,
                rung[0],
                rung[1]));
      }
      return out;
    }
    return List.of(singleTrack(ch, r, legacy));
  }

  private static VideoTrack singleTrack(Channel ch, SplittableRandom r, boolean legacy) {
    double u = r.nextDouble();
    long w;
    long h;
    if (u < 0.45) {
      w = 1920;
      h = 1080;
    } else if (u < 0.75) {
      w = 1280;
      h = 720;
    } else if (u < 0.85) {
      w = 852;
      h = 480;
    } else if (u < 0.90) {
      w = 640;
      h = 360;
    } else if (u < 0.95) {
      w = 2560;
      h = 1440;
    } else {
      w = 1080;
      h = 1920;
    }
    double f = r.nextDouble();
    long fps = f < 0.5 ? 30 : f < 0.9 ? 60 : f < 0.97 ? 25 : 120;
    boolean basic = ch.type().equals("BASIC");
    long cap = basic ? (Math.min(w, h) <= 480 ? 1_500_000 : 3_500_000) : 8_500_000;
    long bitrate;
    if (r.nextDouble() < 0.1) {
      bitrate = cap + 100_000 + r.nextInt(3_000_000);
    } else {
      bitrate = (long) (cap * (0.35 + 0.6 * r.nextDouble()));
    }
    bitrate = bitrate / 1000 * 1000;
    String codec;
    String profile;
    String level;
    double c = r.nextDouble();
    if (legacy || c < 0.82) {
      codec = "avc1.64002A";
      profile = "High";
      level = "4.2";
    } else if (c < 0.88) {
      codec = "avc1.4D401F";
      profile = "Main";
      level = "3.1";
    } else if (c < 0.92) {
      codec = "avc1.42C01E";
      profile = "Baseline";
      level = "3.0";
    } else {
      codec = "hvc1.1.6.L120.90";
      profile = "Main";
      level = "4.0";
    }
    String encoder = ENCODERS[r.nextInt(ENCODERS.length)];
    return new VideoTrack(
        legacy ? null : "Track0", codec, encoder, profile, level, bitrate, fps, w, h);
  }

  private static AudioTrack audio(Channel ch, SplittableRandom r, boolean legacy) {
    double c = r.nextDouble();
    String codec =
        c < 0.95
            ? "mp4a.40.2"
            : c < 0.98 || !ch.containerFormat().equals("FRAGMENTED_MP4") ? "mp4a.40.5" : "opus";
    long rate = r.nextDouble() < 0.8 ? 48_000 : 44_100;
    long channels = r.nextDouble() < 0.9 ? 2 : 1;
    long bitrate = pick(r, new Integer[] {128_000, 160_000, 96_000, 192_000}, 0.5, 0.2, 0.2, 0.1);
    return new AudioTrack(legacy ? null : "Track0", codec, bitrate, rate, channels);
  }

  private static List<Event> events(SplittableRandom r, long startMs, Long endMs, boolean rec) {
    List<Event> ev = new ArrayList<>(24);
    long endBound = endMs != null ? endMs : startMs + 60_000L * 30;
    long[] clock = {startMs};
    ev.add(new Event("Session Created", STREAM_STATE, Instant.ofEpochMilli(startMs), null));
    ev.add(
        new Event(
            "Stream Start",
            STREAM_STATE,
            Instant.ofEpochMilli(startMs + 800 + r.nextInt(400)),
            null));
    clock[0] = startMs + 1200;
    if (rec) {
      ev.add(
          new Event(
              "Recording Start",
              RECORDING_STATE,
              Instant.ofEpochMilli(clock[0] + 500 + r.nextInt(2000)),
              null));
      clock[0] += 2500;
    }
    boolean capped = r.nextDouble() < 0.005;
    int middle = capped ? 280 + r.nextInt(100) : geometric(r, 7);
    long span = Math.max(1, endBound - clock[0] - 5_000);
    long step = Math.max(2, span / (2L * middle + 2));
    boolean takeovers = r.nextDouble() < 0.15;
    for (int i = 0; i < middle; i++) {
      long t = clock[0] + step * (2L * i + 1);
      double u = r.nextDouble();
      if (takeovers && u < 0.35) {
        if (r.nextDouble() < 0.55) {
          ev.add(new Event("Stream Takeover", STREAM_STATE, Instant.ofEpochMilli(t), null));
        } else {
          double k = r.nextDouble();
          String code =
              k < 0.45
                  ? TAKEOVER_CODES[0]
                  : k < 0.75 ? TAKEOVER_CODES[1] : k < 0.97 ? TAKEOVER_CODES[2] : null;
          ev.add(new Event("Stream Takeover Failure", STREAM_STATE, Instant.ofEpochMilli(t), code));
        }
      } else if (u < 0.8) {
        ev.add(new Event("Starvation Start", STREAM_HEALTH, Instant.ofEpochMilli(t), null));
        ev.add(
            new Event(
                "Starvation End", STREAM_HEALTH, Instant.ofEpochMilli(t + step / 2 + 1), null));
      } else {
        ev.add(new Event("Stream End", STREAM_STATE, Instant.ofEpochMilli(t), null));
        ev.add(
            new Event("Stream Start", STREAM_STATE, Instant.ofEpochMilli(t + step / 2 + 1), null));
      }
    }
    if (endMs != null) {
      ev.add(new Event("Stream End", STREAM_STATE, Instant.ofEpochMilli(endMs - 1500), null));
      if (rec) {
        ev.add(
            new Event("Recording End", RECORDING_STATE, Instant.ofEpochMilli(endMs - 1000), null));
      }
      ev.add(new Event("Session Ended", STREAM_STATE, Instant.ofEpochMilli(endMs), null));
    }
    Collections.reverse(ev);
    return ev.size() > MAX_EVENTS ? List.copyOf(ev.subList(0, MAX_EVENTS)) : List.copyOf(ev);
  }

  private static int geometric(SplittableRandom r, double mean) {
    double p = 1 / (mean + 1);
    return (int) Math.min(60, Math.floor(Math.log(1 - r.nextDouble()) / Math.log(1 - p)));
  }

  private static <T> T pick(SplittableRandom r, T[] values, double... weights) {
    double u = r.nextDouble();
    double acc = 0;
    for (int i = 0; i < weights.length; i++) {
      acc += weights[i];
      if (u < acc) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  static String random(SplittableRandom r, String alphabet, int len) {
    char[] c = new char[len];
    for (int i = 0; i < len; i++) {
      c[i] = alphabet.charAt(r.nextInt(alphabet.length()));
    }
    return new String(c);
  }

  /** A well-spread 64-bit seed from a base seed, a label and an index. */
  static long mix(long seed, String label, long index) {
    long h = seed * 0x9E3779B97F4A7C15L + index;
    for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ b) * 0x100000001B3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
