package io.ivsanalytics.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The raw archive: every successful GetStreamSession response, kept so the tables can be rebuilt
 * without calling the API again.
 *
 * <p>Layout: {@code LAKE/raw/dt=YYYY-MM-DD/*.jsonl.gz}, dt = UTC date of the session start. One
 * line per response: the response body exactly as IVS returned it ({@code {"streamSession":{…}}})
 * with one added top-level field {@code fetchedAt} (ISO-8601 UTC) and the SRT passphrase removed.
 * When the same session appears more than once (a live session fetched again), the line with the
 * latest {@code fetchedAt} wins.
 */
public final class RawArchive {
  public static final String DIR = "raw";
  public static final String FETCHED_AT = "fetchedAt";
  public static final String STREAM_SESSION = "streamSession";
  public static final String FILE_SUFFIX = ".jsonl.gz";

  /** The raw archive's directory under {@code lakeRoot}. */
  public static String dir(String lakeRoot) {
    return LakePaths.child(lakeRoot, DIR);
  }

  /** Removes {@code streamSession.channel.srt.passphrase} in place; returns the same node. */
  public static JsonNode stripSecrets(JsonNode response) {
    JsonNode srt = response.path(STREAM_SESSION).path("channel").path("srt");
    if (srt instanceof ObjectNode o) {
      o.remove("passphrase");
    }
    return response;
  }

  private RawArchive() {}
}
