package io.ivsanalytics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ivs.model.GetStreamSessionResponse;
import software.amazon.awssdk.services.ivs.model.StreamSession;

class ArchiveLineTest {
  static final GetStreamSessionResponse PARSED =
      GetStreamSessionResponse.builder()
          .streamSession(
              StreamSession.builder()
                  .streamId("st-1")
                  .startTime(Instant.parse("2024-05-01T10:00:00Z"))
                  .build())
          .build();

  @Test
  void keepsTheBodyAsSentWithoutPassphraseAndWithFetchedAt() {
    String body =
        "{\"streamSession\":{\"streamId\":\"st-1\",\"startTime\":\"2024-05-01T10:00:00Z\",\"channel\":{\"name\":\"Café"
            + " ライブ\",\"srt\":{\"endpoint\":\"e.srt\",\"passphrase\":\"s3cr3t\"}},"
            + "\"ingestConfigurations\":{\"videoConfigurations\":[{\"targetFramerate\":30,\"x\":1.50,\"y\":2.0E+3}]}}}";
    ObjectNode node =
        FetchSessionsFunction.parse(body.getBytes(StandardCharsets.UTF_8), PARSED).body();
    String line =
        new String(
            FetchSessionsFunction.archiveLine(node, Instant.parse("2024-05-02T00:00:00Z")),
            StandardCharsets.UTF_8);
    String expected =
        body.replace(",\"passphrase\":\"s3cr3t\"", "")
            .replaceFirst("}$", ",\"fetchedAt\":\"2024-05-02T00:00:00Z\"}");
    assertEquals(expected, line, "field order, numbers and text as sent");
  }

  @Test
  void rejectsBodiesThatAreNotAStreamSession() {
    assertThrows(
        CallFailure.MalformedBodyException.class,
        () ->
            FetchSessionsFunction.parse(
                "{\"streamSession\":".getBytes(StandardCharsets.UTF_8), PARSED));
    assertThrows(
        CallFailure.MalformedBodyException.class,
        () ->
            FetchSessionsFunction.parse("{\"other\":{}}".getBytes(StandardCharsets.UTF_8), PARSED));
    assertThrows(
        CallFailure.MalformedBodyException.class, () -> FetchSessionsFunction.parse(null, PARSED));
  }
}
