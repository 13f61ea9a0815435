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
  static Object[] recording(JsonNode n, JsonFields c) {
    if (n == null || n.isNull() || (n.isObject() && n.size() == 0)) {
      return null;
    }
    String p = "recordingConfiguration";
    if (!c.object(n, p)) {
      return null;
    }
    Object[] r = new Object[C.size()];
    r[C_ARN] = c.str(n, "arn", p + ".arn");
    r[C_NAME] = c.str(n, "name", p + ".name");
    r[C_STATE] = c.term(n, "state", p + ".state");
    r[C_BUCKET] =
        c.str(
            n.path("destinationConfiguration").path("s3"),
            "bucketName",
            p + ".destinationConfiguration.s3.bucketName");
    r[C_RECONNECT] =
        c.integer(n, "recordingReconnectWindowSeconds", p + ".recordingReconnectWindowSeconds");
    JsonNode rend = n.path("renditionConfiguration");
    r[C_SELECTION] =
        c.term(rend, "renditionSelection", p + ".renditionConfiguration.renditionSelection");
    r[C_RENDITIONS] = c.strings(rend.get("renditions"), p + ".renditionConfiguration.renditions");
    JsonNode th = n.path("thumbnailConfiguration");
    r[C_THUMB_MODE] = c.term(th, "recordingMode", p + ".thumbnailConfiguration.recordingMode");
    r[C_THUMB_INTERVAL] =
        c.lng(th, "targetIntervalSeconds", p + ".thumbnailConfiguration.targetIntervalSeconds");
    r[C_THUMB_RES] = c.term(th, "resolution", p + ".thumbnailConfiguration.resolution");
    r[C_THUMB_STORAGE] = c.strings(th.get("storage"), p + ".thumbnailConfiguration.storage");
    r[C_TAGS] = c.tags(n.get("tags"), p + ".tags");
    return r;
  }

  private RecordingParser() {}
}
