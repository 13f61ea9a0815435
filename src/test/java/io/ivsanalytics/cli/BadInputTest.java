package io.ivsanalytics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.ingest.FetchId;
import io.ivsanalytics.ingest.IdsFile;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import io.ivsanalytics.testing.WithSimulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input stops {@code fetch}, {@code run} and {@code flatten} with exit code 2 and a message
 * naming the file, the line and the value, before Spark starts and before any API call.
 */
@WithSimulator
class BadInputTest {
  static final String A = "arn:aws:ivs:us-west-2:111122223333:channel/AbCdEf123456";
  static final String B = "arn:aws:ivs:eu-west-1:444455556666:channel/ZyXwVu987654";
  static final String[] OPERATIONS = {
    "GetStreamSession", "ListStreamSessions", "ListChannels", "BatchGetChannel", "GetChannel"
  };

  static IvsSimulator sim;
  @TempDir Path dir;

  static SimulatorConfig simulatorConfig() {
    return SimulatorConfig.builder().channelsPerAccountRegion(1).days(1).build();
  }

  Path file(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  /** fetch and run with these ids and extra options: exit 2, the message holds every fragment. */
  void rejected(Path ids, List<String> extra, String... fragments) {
    for (String command : List.of("fetch", "run")) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  command,
                  "--ids",
                  ids.toString(),
                  "--lake",
                  dir.resolve("lake").toString(),
                  "--endpoint",
                  sim.endpoint().toString()));
      args.addAll(extra);
      MainRun r = MainRun.of(args.toArray(String[]::new));
      assertEquals(Main.EXIT_USAGE, r.code(), command + ": " + r.err());
      assertTrue(r.err().startsWith("ivs-analytics: "), r.err());
      assertEquals(
          1, r.err().strip().lines().count(), "one clear line, no stack trace: " + r.err());
      for (String f : fragments) {
        assertTrue(r.err().contains(f), command + ": '" + f + "' missing in: " + r.err());
      }
    }
  }

  long apiCalls() {
    long n = 0;
    for (String op : OPERATIONS) {
      n += sim.stats().requests(op);
    }
    return n;
  }

  @Test
  void badIdsFilesNameFileLineAndValue() throws IOException {
    long before = apiCalls();
    Path malformed =
        file("malformed.txt", "# channels\n" + A + "\narn:aws:ivs:us-west-2:12345:channel/short\n");
    rejected(
        malformed,
        List.of(),
        malformed.toString(),
        "line 3",
        "arn:aws:ivs:us-west-2:12345:channel/short");

    Path streamKey =
        file("stream-key.txt", "arn:aws:ivs:us-west-2:111122223333:stream-key/AbCdEf123456\n");
    rejected(streamKey, List.of(), streamKey.toString(), "line 1", "stream-key/AbCdEf123456");

    Path noChannel =
        file("no-channel.csv", "channel_arn,stream_id\n" + A + ",st-abc\n,st-Orphan123\n");
    rejected(noChannel, List.of(), noChannel.toString(), "line 3", "st-Orphan123");

    Path badStream =
        file("bad-stream.csv", "\uFEFFchannel_arn,stream_id\r\n" + A + ",stream-1\r\n");
    rejected(badStream, List.of(), badStream.toString(), "line 2", "stream-1");

    Path empty = file("empty.txt", "");
    rejected(empty, List.of(), empty.toString(), "no ids");

    Path blank = file("blank.txt", "\uFEFF\r\n   \r\n# only a comment\r\n");
    rejected(blank, List.of(), blank.toString(), "no ids");

    Path missing = dir.resolve("missing.txt");
    rejected(missing, List.of(), missing.toString(), "not found");

    assertEquals(before, apiCalls(), "no API call for bad input");
    assertFalse(Files.exists(dir.resolve("lake")), "nothing written for bad input");
  }

  @Test
  void badWindowUnwritableLakeAndUnknownConfKeyStopBeforeAnyCall() throws IOException {
    long before = apiCalls();
    Path ids = file("ids.txt", A + "\n");
    rejected(
        ids,
        List.of("--from", "2024-05-07", "--to", "2024-05-01"),
        "--from 2024-05-07",
        "--to 2024-05-01");
    rejected(ids, List.of("--from", "2024-13-01"), "--from", "2024-13-01");

    Path conf = file("job.properties", "# job\nfetch.maxattempts = 3\n");
    rejected(
        ids, List.of("--conf", conf.toString()), conf.toString(), "line 2", "fetch.maxattempts");

    Path notADir = file("a-file", "x");
    Path lake = notADir.resolve("lake");
    for (String command : List.of("fetch", "run")) {
      MainRun r =
          MainRun.of(
              command,
              "--ids",
              ids.toString(),
              "--lake",
              lake.toString(),
              "--endpoint",
              sim.endpoint().toString());
      assertEquals(Main.EXIT_USAGE, r.code(), r.err());
      assertTrue(r.err().contains("lake " + lake) && r.err().contains("not writable"), r.err());
    }
    Path raw = Files.createDirectories(dir.resolve("raw"));
    MainRun flatten = MainRun.of("flatten", "--raw", raw.toString(), "--lake", lake.toString());
    assertEquals(Main.EXIT_USAGE, flatten.code(), flatten.err());
    assertTrue(
        flatten.err().contains("lake " + lake) && flatten.err().contains("not writable"),
        flatten.err());

    assertEquals(before, apiCalls(), "no API call for bad input");
  }

  @Test
  void bomCrlfBlankLinesDuplicatesAndAMixOfAccountsAndRegionsAreAccepted() throws IOException {
    Path ids =
        file(
            "mixed.csv",
            "\uFEFFchannel_arn,stream_id\r\n\r\n"
                + A
                + ",\r\n"
                + B
                + ",st-Abc123\r\n"
                + "   \r\n"
                + A
                + ",\r\n# comment\r\n"
                + B
                + ",st-Abc123\r\n"
                + B
                + ",\r\n");
    IdsFile.Parsed parsed = IdsFile.read(ids);
    assertEquals(
        List.of(FetchId.channel(A), new FetchId(B, "st-Abc123"), FetchId.channel(B)), parsed.ids());
    assertEquals(
        Map.of("111122223333/us-west-2", 1L, "444455556666/eu-west-1", 2L),
        parsed.countByAccountRegion());
    assertEquals(2, parsed.warnings().size(), parsed.warnings().toString());
    assertTrue(parsed.warnings().get(0).contains("lines 3, 6"), parsed.warnings().toString());
    assertTrue(parsed.warnings().get(1).contains("lines 4, 8"), parsed.warnings().toString());
  }
}
