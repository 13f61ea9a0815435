package io.ivsanalytics.flatten;

import static io.ivsanalytics.flatten.RecordColumns.C;
import static io.ivsanalytics.flatten.RecordColumns.C_ARN;
import static io.ivsanalytics.flatten.RecordColumns.C_BUCKET;
import static io.ivsanalytics.flatten.RecordColumns.C_NAME;
import static io.ivsanalytics.flatten.RecordColumns.C_RECONNECT;
import static io.ivsanalytics.flatten.RecordColumns.C_RENDITIONS;
import static io.ivsanalytics.flatten.RecordColumns.C_SELECTION;
import static io.ivsanalytics.flatten.RecordColumns.C_STATE;
import static io.ivsanalytics.flatten.RecordColumns.C_TAGS;
import static io.ivsanalytics.flatten.RecordColumns.C_THUMB_INTERVAL;
import static io.ivsanalytics.flatten.RecordColumns.C_THUMB_MODE;
import static io.ivsanalytics.flatten.RecordColumns.C_THUMB_RES;
import static io.ivsanalytics.flatten.RecordColumns.C_THUMB_STORAGE;

import com.fasterxml.jackson.databind.JsonNode;

/** A session's {@code recordingConfiguration}: one recording struct, or null when there is none. */
final class RecordingParser {
  private static final String P = "recordingConfiguration";

  private static final String THUMBNAIL = P + ".thumbnailConfiguration";

  static Object[] recording(JsonNode n, JsonFields c) {
    if (n == null || n.isNull() || (n.isObject() && n.size() == 0)) {
      return null;
    }
    if (!c.object(n, P)) {
      return null;
    }
    Object[] r = new Object[C.size()];
    r[C_ARN] = c.str(n, "arn", P);
    r[C_NAME] = c.str(n, "name", P);
    r[C_STATE] = c.term(n, "state", P);
    r[C_BUCKET] =
        c.str(
            n.path("destinationConfiguration").path("s3"),
            "bucketName",
            P + ".destinationConfiguration.s3");
    r[C_RECONNECT] = c.integer(n, "recordingReconnectWindowSeconds", P);
    JsonNode rend = n.path("renditionConfiguration");
    r[C_SELECTION] = c.term(rend, "renditionSelection", P + ".renditionConfiguration");
    r[C_RENDITIONS] = c.strings(rend.get("renditions"), P + ".renditionConfiguration.renditions");
    JsonNode th = n.path("thumbnailConfiguration");
    r[C_THUMB_MODE] = c.term(th, "recordingMode", THUMBNAIL);
    r[C_THUMB_INTERVAL] = c.lng(th, "targetIntervalSeconds", THUMBNAIL);
    r[C_THUMB_RES] = c.term(th, "resolution", THUMBNAIL);
    r[C_THUMB_STORAGE] = c.strings(th.get("storage"), THUMBNAIL + ".storage");
    r[C_TAGS] = c.tags(n.get("tags"), P + ".tags");
    return r;
  }

  private RecordingParser() {}
}
