package io.ivsanalytics.flatten;

import static io.ivsanalytics.flatten.RecordColumns.E;
import static io.ivsanalytics.flatten.RecordColumns.E_CODE;
import static io.ivsanalytics.flatten.RecordColumns.E_INDEX;
import static io.ivsanalytics.flatten.RecordColumns.E_NAME;
import static io.ivsanalytics.flatten.RecordColumns.E_TIME;
import static io.ivsanalytics.flatten.RecordColumns.E_TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A session's {@code truncatedEvents}: {@code event_index} = position in the list (0 = most
 * recent).
 */
final class EventParser {
  static List<Object[]> events(JsonNode list, JsonFields c) {
    JsonNode a = c.array(list, "truncatedEvents");
    List<Object[]> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      Object[] e = event(a.get(i), i, c);
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  /** Paths name "[*]": constant strings, no building per event. */
  private static Object[] event(JsonNode n, int i, JsonFields c) {
    if (!c.object(n, "truncatedEvents[*]")) {
      return null;
    }
    Object[] e = new Object[E.size()];
    e[E_INDEX] = i;
    e[E_TIME] =
        Timestamps.ts(
            Timestamps.lenientTime(
                n.get("eventTime"), "truncatedEvents[*].eventTime", c.where(), c.odd()));
    e[E_NAME] = c.term(n, "name", "truncatedEvents[*].name");
    e[E_TYPE] = c.term(n, "type", "truncatedEvents[*].type");
    e[E_CODE] = c.term(n, "code", "truncatedEvents[*].code");
    return e;
  }

  private EventParser() {}
}
