package io.ivsanalytics.flatten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmallObjectsTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();

  /** Names of the fields in iteration order. */
  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void readsLikeJacksonsOwnTree() throws Exception {
    StringBuilder many = new StringBuilder("{");
    for (int i = 0; i < 40; i++) {
      many.append(i == 0 ? "" : ",").append("\"f").append(39 - i).append("\":").append(i);
    }
    many.append('}');
    String[] texts = {
      "{}",
      "{\"a\":1,\"b\":[1,2.5,{\"c\":null}],\"d\":{\"e\":\"x\",\"f\":true}}",
      // a repeated field keeps its first position and takes its last value, as in Jackson's tree
      "{\"a\":1,\"b\":2,\"a\":3}",
      "{\"x\":{\"y\":{\"z\":{}}},\"big\":123456789012345678901234567890,\"n\":-0.0}",
      many.toString(),
      new String(new char[] {'{', '"', 'k', '"', ':', '"', 'é', '"', '}'})
    };
    for (String t : texts) {
      JsonNode ours = SessionParser.MAPPER.readTree(t);
      JsonNode theirs = JACKSON.readTree(t);
      assertEquals(theirs, ours, t);
      assertEquals(ours, theirs, t);
      assertEquals(theirs.hashCode(), ours.hashCode(), t);
      assertEquals(theirs.toString(), ours.toString(), t);
      assertEquals(names(theirs), names(ours), t);
    }
    assertEquals("[a, b]", names(SessionParser.MAPPER.readTree(texts[2])).toString());
    assertEquals(3, SessionParser.MAPPER.readTree(texts[2]).get("a").intValue());
  }

  @Test
  void looksUpNamesThatAreNotTheSameInstance() throws Exception {
    ObjectNode o = (ObjectNode) SessionParser.MAPPER.readTree("{\"codec\":\"avc1\"}");
    String name = new StringBuilder("co").append("dec").toString();
    assertEquals("avc1", o.get(name).textValue());
    assertTrue(o.has(name));
    assertNull(o.get("codecs"));
    assertNull(o.get((String) null));
  }

  @Test
  void changesKeepTheOrderOfTheRest() {
    ObjectNode o = SessionParser.MAPPER.createObjectNode();
    for (int i = 0; i < 20; i++) {
      o.put("k" + i, i);
    }
    assertEquals(20, o.size());
    o.put("k3", "three");
    assertEquals("three", o.get("k3").textValue());
    assertEquals(TextNode.valueOf("three"), o.remove("k3"));
    assertNull(o.remove("k3"));
    assertFalse(o.has("k3"));
    assertEquals(19, o.size());
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      if (i != 3) {
        expected.add("k" + i);
      }
    }
    assertEquals(expected, names(o));

    Iterator<Map.Entry<String, JsonNode>> it = o.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().intValue() % 2 == 0) {
        it.remove();
      } else {
        e.setValue(TextNode.valueOf(e.getKey()));
      }
    }
    assertEquals(
        "{\"k1\":\"k1\",\"k5\":\"k5\",\"k7\":\"k7\",\"k9\":\"k9\",\"k11\":\"k11\","
            + "\"k13\":\"k13\",\"k15\":\"k15\",\"k17\":\"k17\",\"k19\":\"k19\"}",
        o.toString());
    assertThrows(IllegalStateException.class, () -> o.fields().remove());

    Iterator<Map.Entry<String, JsonNode>> stale = o.fields();
    o.put("new", 1);
    assertThrows(java.util.ConcurrentModificationException.class, stale::next);
    o.removeAll();
    assertEquals(0, o.size());
    assertEquals("{}", o.toString());
  }
}
