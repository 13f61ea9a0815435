package io.ivsanalytics.flatten;

import static io.ivsanalytics.flatten.RecordColumns.E;
import static io.ivsanalytics.flatten.RecordColumns.E_CODE;
import static io.ivsanalytics.flatten.RecordColumns.E_INDEX;
import static io.ivsanalytics.flatten.RecordColumns.E_NAME;
import static io.ivsanalytics.flatten.RecordColumns.E_TIME;
import static io.ivsanalytics.flatten.RecordColumns.E_TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
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

  private static Object[] event(JsonNode n, int i, JsonFields c) {
    if (!c.object(n, EVENT)) {
      return null;
    }
    return row(
        i,
        n.get("eventTime"),
        c.term(n, "name", EVENT),
        c.term(n, "type", EVENT),
        c.term(n, "code", EVENT),
        c);
  }

  /**
   * The row of event {@code i} read from the token stream ({@link StreamedResponse}): its time as a
   * string (or null), its name, type and code as {@link JsonFields#term} gives them.
   */
  static Object[] row(int i, String time, String name, String type, String code, JsonFields c) {
    return row(i, time == null ? null : TextNode.valueOf(time), name, type, code, c);
  }

  /** Paths name "[*]": constant strings, no building per event. */
  private static Object[] row(
      int i, JsonNode time, String name, String type, String code, JsonFields c) {
    Object[] e = new Object[E.size()];
    e[E_INDEX] = i;
    e[E_TIME] =
        Timestamps.ts(Timestamps.lenientTime(time, EVENT + ".eventTime", c.where(), c.odd()));
    e[E_NAME] = name;
    e[E_TYPE] = type;
    e[E_CODE] = code;
    return e;
  }

  private static final String EVENT = "truncatedEvents[*]";

  private EventParser() {}
}
