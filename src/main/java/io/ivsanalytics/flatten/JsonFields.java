package io.ivsanalytics.flatten;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Typed field access for the fields that are not part of the key: a value of another form is
 * rounded or nulled and reported as an odd field, never an error.
 */
record JsonFields(String arn, String streamId, String where, List<ParsedRecord.OddField> odd) {
  private static final Pattern INDEX = Pattern.compile("\\[\\d+\\]");

  /** Distinct values {@link #term} shares, per JVM. */
  static final int TERMS_MAX = 4096;

  private static final ConcurrentHashMap<String, String> TERMS = new ConcurrentHashMap<>();

  private void note(String path, String problem, JsonNode value) {
    odd.add(oddField(path, problem, value, where));
  }

  /**
   * {@link #note} of field {@code field} of the object at path {@code in}: the path is built here.
   */
  private void note(String in, String field, String problem, JsonNode value) {
    note(in + "." + field, problem, value);
  }

  boolean object(JsonNode n, String path) {
    if (n == null || !n.isObject()) {
      note(path, "is not an object: left out", n == null ? MissingNode.getInstance() : n);
      return false;
    }
    return true;
  }

  JsonNode array(JsonNode n, String path) {
    if (n == null || n.isNull()) {
      return JsonNodeFactory.instance.arrayNode();
    }
    if (!n.isArray()) {
      note(path, "is not a list: taken as empty", n);
      return JsonNodeFactory.instance.arrayNode();
    }
    return n;
  }

  String str(JsonNode parent, String field, String in) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isValueNode()) {
      note(in, field, "is not a string: set to null", n);
      return null;
    }
    String t = n.asText();
    return t.isEmpty() ? null : t;
  }

  /**
   * {@link #str} of a field with few distinct values (an enumeration, a codec): equal values are
   * the same String instance, which the Parquet writer encodes and looks up once ({@link
   * ParquetRows}). Past {@link #TERMS_MAX} distinct values, new ones are kept as read.
   */
  String term(JsonNode parent, String field, String in) {
    return shared(str(parent, field, in));
  }

  /** The one instance {@link #term} gives for {@code t} (null stays null). */
  static String shared(String t) {
    if (t == null) {
      return null;
    }
    String shared = TERMS.get(t);
    if (shared != null) {
      return shared;
    }
    if (TERMS.size() >= TERMS_MAX) {
      return t;
    }
    shared = TERMS.putIfAbsent(t, t);
    return shared != null ? shared : t;
  }

  Boolean bool(JsonNode parent, String field, String in) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isTextual()
        && ("true".equalsIgnoreCase(n.textValue()) || "false".equalsIgnoreCase(n.textValue()))) {
      note(in, field, "is a boolean written as a string: read as the boolean", n);
      return Boolean.parseBoolean(n.textValue());
    }
    note(in, field, "is not true or false: set to null", n);
    return null;
  }

  Long lng(JsonNode parent, String field, String in) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return n.longValue();
    }
    double d;
    if (n.isNumber()) {
      d = n.doubleValue();
    } else if (n.isTextual()) {
      String t = n.textValue().strip();
      try {
        long l = Long.parseLong(t);
        note(in, field, "is a number written as a string: read as the number", n);
        return l;
      } catch (NumberFormatException e) {
        try {
          d = Double.parseDouble(t);
        } catch (NumberFormatException e2) {
          note(in, field, "is not a number: set to null", n);
          return null;
        }
      }
    } else {
      note(in, field, "is not a number: set to null", n);
      return null;
    }
    if (Double.isNaN(d) || Double.isInfinite(d) || Math.abs(d) >= 9.0e18) {
      note(in, field, "is not a whole number in range: set to null", n);
      return null;
    }
    note(in, field, "is not a whole number: rounded", n);
    return Math.round(d);
  }

  Integer integer(JsonNode parent, String field, String in) {
    Long l = lng(parent, field, in);
    if (l == null) {
      return null;
    }
    if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
      note(in, field, "is outside the 32-bit range: set to null", parent.get(field));
      return null;
    }
    return l.intValue();
  }

  Object[] strings(JsonNode n, String path) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isArray()) {
      note(path, "is not a list of strings: set to null", n);
      return null;
    }
    Object[] out = new Object[n.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode e = n.get(i);
      if (!e.isValueNode()) {
        note(path, "is not a list of strings: set to null", n);
        return null;
      }
      out[i] = e.isNull() ? null : e.asText();
    }
    return out;
  }

  Map<String, String> tags(JsonNode n, String path) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      note(path, "is not an object of strings: set to null", n);
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode val = e.getValue();
      if (!val.isValueNode()) {
        note(path + "." + e.getKey(), "is not a string: set to null", val);
        out.put(e.getKey(), null);
      } else {
        out.put(e.getKey(), val.isNull() ? null : val.asText());
      }
    }
    return out;
  }

  static ParsedRecord.OddField oddField(String path, String problem, JsonNode value, String where) {
    return new ParsedRecord.OddField(
        INDEX.matcher(path).replaceAll("[*]") + " " + problem, abbreviate(value) + " at " + where);
  }

  static boolean hasFields(JsonNode n) {
    return n != null && n.isObject() && n.size() > 0;
  }

  static String textOrNull(JsonNode n) {
    if (n == null || !n.isValueNode() || n.isNull()) {
      return null;
    }
    String t = n.asText();
    return t.isEmpty() ? null : t;
  }

  static String abbreviate(JsonNode n) {
    String t = n.toString();
    return t.length() > 80 ? t.substring(0, 77) + "..." : t;
  }
}
