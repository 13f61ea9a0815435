package io.ivsanalytics.flatten;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Tree nodes whose objects keep their fields in two arrays, in the order they were read, instead of
 * a {@link java.util.LinkedHashMap}: a response's objects have a few to twenty fields, looked up by
 * names the parser interned, so a scan finds them by identity first. Everything else is Jackson's
 * own node: values, order, a repeated field keeping its first position and last value.
 */
final class SmallObjects extends JsonNodeFactory {
  private static final long serialVersionUID = 1L;

  static final SmallObjects INSTANCE = new SmallObjects();

  private SmallObjects() {
    super(false);
  }

  @Override
  public ObjectNode objectNode() {
    return new ObjectNode(this, new Fields());
  }

  /** An insertion-ordered map of field names to nodes. */
  static final class Fields extends AbstractMap<String, JsonNode> {
    private String[] names = new String[8];
    private JsonNode[] values = new JsonNode[8];
    private int size;
    private int changes;

    private int indexOf(Object name) {
      for (int i = 0; i < size; i++) {
        if (names[i] == name) {
          return i;
        }
      }
      if (name != null) {
        for (int i = 0; i < size; i++) {
          if (name.equals(names[i])) {
            return i;
          }
        }
      }
      return -1;
    }

    @Override
    public JsonNode get(Object name) {
      int i = indexOf(name);
      return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object name) {
      return indexOf(name) >= 0;
    }

    @Override
    public JsonNode put(String name, JsonNode value) {
      int i = indexOf(name);
      if (i >= 0) {
        JsonNode old = values[i];
        values[i] = value;
        return old;
      }
      if (size == names.length) {
        names = Arrays.copyOf(names, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      names[size] = name;
      values[size] = value;
      size++;
      changes++;
      return null;
    }

    @Override
    public JsonNode remove(Object name) {
      int i = indexOf(name);
      if (i < 0) {
        return null;
      }
      JsonNode old = values[i];
      removeAt(i);
      return old;
    }

    private void removeAt(int i) {
      System.arraycopy(names, i + 1, names, i, size - i - 1);
      System.arraycopy(values, i + 1, values, i, size - i - 1);
      size--;
      names[size] = null;
      values[size] = null;
      changes++;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public void clear() {
      Arrays.fill(names, 0, size, null);
      Arrays.fill(values, 0, size, null);
      size = 0;
      changes++;
    }

    @Override
    public Set<Map.Entry<String, JsonNode>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<String, JsonNode>> iterator() {
          return new Entries();
        }

        @Override
        public int size() {
          return size;
        }
      };
    }

    /** Entries in field order; an entry's value can be set, and the last one given removed. */
    private final class Entries implements Iterator<Map.Entry<String, JsonNode>> {
      private int next;
      private int last = -1;
      private int expected = changes;

      @Override
      public boolean hasNext() {
        return next < size;
      }

      @Override
      public Map.Entry<String, JsonNode> next() {
        if (expected != changes) {
          throw new ConcurrentModificationException();
        }
        if (next >= size) {
          throw new NoSuchElementException();
        }
        last = next++;
        int at = last;
        return new AbstractMap.SimpleEntry<>(names[at], values[at]) {
          private static final long serialVersionUID = 1L;

          @Override
          public JsonNode setValue(JsonNode value) {
            values[at] = value;
            return super.setValue(value);
          }
        };
      }

      @Override
      public void remove() {
        if (last < 0) {
          throw new IllegalStateException();
        }
        if (expected != changes) {
          throw new ConcurrentModificationException();
        }
        removeAt(last);
        next = last;
        last = -1;
        expected = changes;
      }
    }
  }
}
