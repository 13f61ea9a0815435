package io.ivsanalytics.flatten;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsanalytics.model.RawArchive;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A response line read from its UTF-8 bytes with the session's {@code truncatedEvents} taken
 * straight from the token stream into event rows, and the rest of the response built as the tree
 * {@link SessionParser} reads. Events are most of a response's values; as a tree each one is an
 * object, a map and a node per field.
 *
 * <p>This is a shortcut for the usual form only: a list of objects whose {@code eventTime}, {@code
 * name}, {@code type} and {@code code} are strings or null (other fields are skipped, a repeated
 * field counts its last value, as in the tree). Anything else (an event that is not an object, a
 * number where a string is expected, a repeated {@code streamSession}, a top level that is not an
 * object, bad JSON) makes {@link #read} return null, and the caller parses the whole line as a
 * tree, so every lenient rule and message stays the tree path's.
 */
final class StreamedResponse {
  /** The response without its session's events, when they were read from the stream. */
  final ObjectNode response;

  /** The session's event rows, or null when the tree holds the events (or there are none). */
  List<Object[]> events;

  /** Odd fields the streamed events raised, in event order. */
  final List<ParsedRecord.OddField> eventOdd = new ArrayList<>(0);

  private StreamedResponse(ObjectNode response) {
    this.response = response;
  }

  /** Not the usual form: the line is parsed as a whole tree instead. */
  private static final class NotUsual extends Exception {
    NotUsual() {
      super(null, null, false, false);
    }
  }

  private static final NotUsual NOT_USUAL = new NotUsual();

  /** The line's response, or null when it is not the usual form or not JSON. */
  static StreamedResponse read(byte[] utf8, int offset, int length, String where) {
    try (JsonParser p = SessionParser.MAPPER.getFactory().createParser(utf8, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      StreamedResponse r = new StreamedResponse(SessionParser.MAPPER.createObjectNode());
      boolean session = false;
      for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
        JsonToken t = p.nextToken();
        if (name.equals(RawArchive.STREAM_SESSION)) {
          if (session) {
            return null;
          }
          session = true;
          r.response.set(name, t == JsonToken.START_OBJECT ? r.session(p, where) : tree(p));
        } else {
          r.response.set(name, tree(p));
        }
      }
      return r;
    } catch (IOException | NotUsual e) {
      return null;
    }
  }

  private ObjectNode session(JsonParser p, String where) throws IOException, NotUsual {
    ObjectNode s = SessionParser.MAPPER.createObjectNode();
    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
      JsonToken t = p.nextToken();
      if (name.equals("truncatedEvents") && t == JsonToken.START_ARRAY) {
        events = events(p, where);
        s.remove(name);
      } else {
        if (name.equals("truncatedEvents")) {
          events = null;
          eventOdd.clear();
        }
        s.set(name, tree(p));
      }
    }
    return s;
  }

  private List<Object[]> events(JsonParser p, String where) throws IOException, NotUsual {
    eventOdd.clear();
    JsonFields c = new JsonFields(null, null, where, eventOdd);
    String[] terms = TERMS.get();
    List<Object[]> out = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.START_OBJECT) {
        throw NOT_USUAL;
      }
      String time = null;
      String name = null;
      String type = null;
      String code = null;
      for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
        JsonToken v = p.nextToken();
        switch (f) {
          case "eventTime" -> time = text(p, v);
          case "name" -> name = term(p, v, terms);
          case "type" -> type = term(p, v, terms);
          case "code" -> code = term(p, v, terms);
          default -> p.skipChildren();
        }
      }
      out.add(EventParser.row(out.size(), time, name, type, code, c));
    }
    return out;
  }

  private static String text(JsonParser p, JsonToken t) throws IOException, NotUsual {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw NOT_USUAL;
  }

  /** Slots of a thread's recent terms: a power of two. */
  private static final int TERM_SLOTS = 256;

  private static final ThreadLocal<String[]> TERMS =
      ThreadLocal.withInitial(() -> new String[TERM_SLOTS]);

  /**
   * A field of few distinct values as {@link JsonFields#term} gives it (the one shared instance,
   * empty as null), found among the thread's recent terms from the parser's characters, without
   * building a string, when it is one.
   */
  private static String term(JsonParser p, JsonToken t, String[] recent)
      throws IOException, NotUsual {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw NOT_USUAL;
    }
    char[] chars = p.getTextCharacters();
    int offset = p.getTextOffset();
    int length = p.getTextLength();
    if (length == 0) {
      return null;
    }
    int h = 0;
    for (int i = 0; i < length; i++) {
      h = 31 * h + chars[offset + i];
    }
    int slot = (h ^ (h >>> 16)) & (TERM_SLOTS - 1);
    String known = recent[slot];
    if (known != null && known.length() == length && sameChars(known, chars, offset)) {
      return known;
    }
    String shared = JsonFields.shared(new String(chars, offset, length));
    recent[slot] = shared;
    return shared;
  }

  private static boolean sameChars(String s, char[] chars, int offset) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != chars[offset + i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The value at the parser's current token as the tree holds it. A string is the node Jackson's
   * tree makes of it, without setting up a deserialization for one value.
   */
  private static JsonNode tree(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      return SmallObjects.INSTANCE.textNode(p.getText());
    }
    return SessionParser.MAPPER.readTree(p);
  }
}
