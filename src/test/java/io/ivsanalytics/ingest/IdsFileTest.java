package io.ivsanalytics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.cli.Main;
import io.ivsanalytics.config.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdsFileTest {
  static final String A = "arn:aws:ivs:us-west-2:111122223333:channel/abcDEF123";
  static final String B = "arn:aws:ivs:eu-west-1:444455556666:channel/xyz789";
  static final String S1 = "st-1AbCdEfGhIjKlMnOpQrStUv";

  @TempDir Path dir;

  Path file(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  Path file(String name, String text) throws IOException {
    return file(name, text.getBytes(StandardCharsets.UTF_8));
  }

  UsageException fails(String text) throws IOException {
    Path p = file("bad.txt", text);
    UsageException e = assertThrows(UsageException.class, () -> IdsFile.read(p));
    assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    return e;
  }

  @Test
  void readsArnPerLineWithBomCrlfBlankLinesAndComments() throws IOException {
    String text =
        "\uFEFF# channels to fetch\r\n" + A + "\r\n\r\n   \r\n  # another comment\r\n" + B + "\r\n";
    IdsFile.Parsed parsed = IdsFile.read(file("ids.txt", text));
    assertEquals(List.of(FetchId.channel(A), FetchId.channel(B)), parsed.ids());
    assertTrue(parsed.warnings().isEmpty());
    assertEquals(
        Map.of("111122223333/us-west-2", 1L, "444455556666/eu-west-1", 1L),
        parsed.countByAccountRegion());
  }

  @Test
  void readsCsvWithBlankStreamIdAsWholeChannel() throws IOException {
    String text =
        "\uFEFFchannel_arn,stream_id\r\n" + A + "," + S1 + "\r\n" + B + ",\r\n\"" + A + "\",\r\n";
    IdsFile.Parsed parsed = IdsFile.read(file("ids.csv", text));
    assertEquals(List.of(new FetchId(A, S1), FetchId.channel(B), FetchId.channel(A)), parsed.ids());
    assertNull(parsed.ids().get(1).streamId());
  }

  @Test
  void readsQuotedCsvCellsWithSpacesAndRejectsAnUnterminatedQuote() throws IOException {
    String text =
        "\"channel_arn\", \"stream_id\"\n \"" + A + "\" , \"" + S1 + "\"\n" + B + " ,  \n";
    IdsFile.Parsed parsed = IdsFile.read(file("quoted.csv", text));
    assertEquals(List.of(new FetchId(A, S1), FetchId.channel(B)), parsed.ids());
    UsageException e = fails("channel_arn,stream_id\n" + A + "," + S1 + "\n\"" + B + ",\n");
    assertTrue(
        e.getMessage().contains("line 3")
            && e.getMessage().contains("unterminated quote")
            && e.getMessage().contains(B),
        e.getMessage());
    UsageException three = fails("channel_arn,stream_id\n" + A + "," + S1 + ",extra\n");
    assertTrue(
        three.getMessage().contains("line 2") && three.getMessage().contains("got 3"),
        three.getMessage());
  }

  @Test
  void deduplicatesAndWarnsWithLineNumbers() throws IOException {
    String text =
        "channel_arn,stream_id\n"
            + A
            + ","
            + S1
            + "\n"
            + B
            + "\n"
            + A
            + ","
            + S1
            + "\n"
            + A
            + ", "
            + S1
            + "\n";
    IdsFile.Parsed parsed = IdsFile.read(file("dups.csv", text));
    assertEquals(List.of(new FetchId(A, S1), FetchId.channel(B)), parsed.ids());
    assertEquals(1, parsed.warnings().size());
    assertTrue(parsed.warnings().get(0).contains("lines 2, 4, 5"), parsed.warnings().get(0));
  }

  @Test
  void malformedArnNamesFileLineAndValue() throws IOException {
    UsageException e = fails(A + "\n\narn:aws:ivs:us-west-2:1234:channel/short\n");
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    assertTrue(e.getMessage().contains("arn:aws:ivs:us-west-2:1234:channel/short"), e.getMessage());
  }

  @Test
  void rejectsStreamKeyArnAndBadStreamId() throws IOException {
    UsageException key = fails("arn:aws:ivs:us-west-2:111122223333:stream-key/abc\n");
    assertTrue(key.getMessage().contains("line 1"), key.getMessage());
    UsageException stream = fails("channel_arn,stream_id\n" + A + ",stream-1\n");
    assertTrue(
        stream.getMessage().contains("line 2") && stream.getMessage().contains("stream-1"),
        stream.getMessage());
  }

  @Test
  void streamIdWithoutChannelIsAnError() throws IOException {
    UsageException e = fails("channel_arn,stream_id\n" + A + ",\n ," + S1 + "\n");
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    assertTrue(e.getMessage().contains("without a channel_arn"), e.getMessage());
  }

  @Test
  void csvLineWithoutHeaderIsAnError() throws IOException {
    UsageException e = fails(A + "," + S1 + "\n");
    assertTrue(
        e.getMessage().contains("line 1") && e.getMessage().contains("header"), e.getMessage());
  }

  @Test
  void missingAndEmptyFilesAreErrors() throws IOException {
    Path missing = dir.resolve("nope.txt");
    UsageException e = assertThrows(UsageException.class, () -> IdsFile.read(missing));
    assertTrue(
        e.getMessage().contains("not found") && e.getMessage().contains(missing.toString()),
        e.getMessage());
    fails("");
    UsageException onlyComments = fails("\uFEFF# nothing\r\n\r\nchannel_arn,stream_id\r\n");
    assertTrue(onlyComments.getMessage().contains("no ids"), onlyComments.getMessage());
  }

  @Test
  void fetchCommandExitsWith2OnBadIdsFileAndBadWindow() throws IOException {
    Path bad = file("bad-cli.txt", "not-an-arn\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code =
          Main.execute("fetch", "--ids", bad.toString(), "--lake", dir.resolve("lake").toString());
    } finally {
      System.setErr(old);
    }
    assertEquals(Main.EXIT_USAGE, code);
    UsageException window =
        assertThrows(
            UsageException.class,
            () ->
                FetchOptions.builder(io.ivsanalytics.config.Settings.defaults())
                    .ids(List.of(FetchId.channel(A)))
                    .lake("lake")
                    .from(java.time.LocalDate.parse("2024-05-07"))
                    .to(java.time.LocalDate.parse("2024-05-01"))
                    .build());
    assertTrue(
        window.getMessage().contains("2024-05-07") && window.getMessage().contains("2024-05-01"),
        window.getMessage());
  }
}
