package io.ivsanalytics.flatten;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.Arrays;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.apache.parquet.io.api.Binary;

/**
 * One leaf column of a Parquet file being written: the levels and values of its current page, and
 * of the column chunk (row group) its dictionary. Values are collected per page in arrays (a
 * dictionary id per value, or the plain bytes) and encoded when the page is handed to parquet-mr's
 * page store, which compresses it and builds the column and offset indexes.
 *
 * <p>The encodings and their choice are parquet-mr's format v1 defaults: levels RLE/bit-packed with
 * a length prefix (none for a level that is always 0), values dictionary-encoded ({@code
 * PLAIN_DICTIONARY}, a bit-width byte and RLE/bit-packed ids) except booleans, and a chunk falls
 * back to {@code PLAIN} for the rest of the chunk when its dictionary passes 1 MB or when its first
 * page's dictionary encoding is not smaller than plain. A page ends at a record boundary after
 * 20,000 records or 1 MB of buffered values. Page statistics are those parquet-mr computes (min,
 * max and null count in the column's own order); a dictionary column compares each id once per page
 * rather than each value.
 *
 * <p>Not thread-safe: one per column of one file.
 */
abstract class LeafColumn {
  /** parquet-mr's default page row count limit. */
  static final int PAGE_ROWS = 20_000;

  /** parquet-mr's default page size threshold. */
  static final int PAGE_BYTES = 1 << 20;

  /** parquet-mr's default dictionary page size threshold. */
  static final int DICTIONARY_BYTES = 1 << 20;

  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  final ColumnDescriptor column;
  private final int maxRep;
  private final int maxDef;
  private final RunLengthBitPackingHybridEncoder repEncoder;
  private final RunLengthBitPackingHybridEncoder defEncoder;
  private PageWriter pages;

  private int[] reps;
  private int[] defs;

  /** Level entries in the page: values and nulls. */
  int entries;

  /** Records in the page. */
  private int rows;

  /** Entries without a value in the page. */
  private int nulls;

  LeafColumn(ColumnDescriptor column) {
    this.column = column;
    this.maxRep = column.getMaxRepetitionLevel();
    this.maxDef = column.getMaxDefinitionLevel();
    this.reps = maxRep > 0 ? new int[256] : null;
    this.defs = maxDef > 0 ? new int[256] : null;
    this.repEncoder = maxRep > 0 ? levelEncoder(maxRep) : null;
    this.defEncoder = maxDef > 0 ? levelEncoder(maxDef) : null;
  }

  /** The leaf column for {@code column}'s primitive type; timestamps come as {@link Timestamp}. */
  static LeafColumn of(ColumnDescriptor column) {
    return switch (column.getPrimitiveType().getPrimitiveTypeName()) {
      case BINARY -> new Strings(column);
      case INT32 -> new Numbers(column, false);
      case INT64 -> new Numbers(column, true);
      case BOOLEAN -> new Booleans(column);
      default -> throw new IllegalArgumentException("no leaf writer for " + column);
    };
  }

  /** Where this column's pages go, for the row group being written. */
  void startChunk(PageWriter pages) {
    this.pages = pages;
  }

  /** An entry without a value, at repetition level {@code r} and definition level {@code d}. */
  final void nullAt(int r, int d) {
    level(r, d);
    nulls++;
  }

  /** A value at repetition level {@code r} (definition level: the column's maximum). */
  final void add(Object v, int r) throws IOException {
    level(r, maxDef);
    value(v);
  }

  private void level(int r, int d) {
    if (defs != null) {
      if (entries == defs.length) {
        defs = Arrays.copyOf(defs, entries * 2);
        if (reps != null) {
          reps = Arrays.copyOf(reps, entries * 2);
        }
      }
      defs[entries] = d;
      if (reps != null) {
        reps[entries] = r;
      }
    }
    entries++;
    if (r == 0) {
      rows++;
    }
  }

  /** Ends the page if it is full, after a record. */
  final void endRecord() throws IOException {
    if (rows >= PAGE_ROWS || pageBytes() >= PAGE_BYTES) {
      writePage();
    }
  }

  /** Bytes buffered for this column: the pages written and the current page's values. */
  long bufferedBytes() {
    return pages.getMemSize() + pageBytes() + dictionaryBytes();
  }

  /** Writes the last page and then the dictionary page; the next chunk starts a new dictionary. */
  void endChunk() throws IOException {
    if (entries > 0) {
      writePage();
    }
    DictionaryPage dictionary = dictionaryPage();
    if (dictionary != null) {
      pages.writeDictionaryPage(dictionary);
    }
    resetChunk();
  }

  // ENCODINGS: BIT_PACKED is how format v1 labels the levels of a column whose levels are all 0
  @SuppressWarnings("deprecation")
  private void writePage() throws IOException {
    Statistics<?> stats = Statistics.createStats(column.getPrimitiveType());
    stats.incrementNumNulls(nulls);
    Encoding encoding = finishValues(stats);
    BytesInput values = valueBytes();
    pages.writePage(
        BytesInput.concat(levelBytes(repEncoder, reps), levelBytes(defEncoder, defs), values),
        entries,
        rows,
        stats,
        repEncoder == null ? Encoding.BIT_PACKED : Encoding.RLE,
        defEncoder == null ? Encoding.BIT_PACKED : Encoding.RLE,
        encoding);
    entries = 0;
    rows = 0;
    nulls = 0;
    if (repEncoder != null) {
      repEncoder.reset();
    }
    if (defEncoder != null) {
      defEncoder.reset();
    }
    resetPage();
  }

  private BytesInput levelBytes(RunLengthBitPackingHybridEncoder encoder, int[] levels)
      throws IOException {
    if (encoder == null) {
      return BytesInput.empty();
    }
    for (int i = 0; i < entries; i++) {
      encoder.writeInt(levels[i]);
    }
    BytesInput rle = encoder.toBytes();
    return BytesInput.concat(BytesInput.fromInt(Math.toIntExact(rle.size())), rle);
  }

  private static RunLengthBitPackingHybridEncoder levelEncoder(int maxLevel) {
    return new RunLengthBitPackingHybridEncoder(
        BytesUtils.getWidthFromMaxInt(maxLevel), 256, PAGE_BYTES, new HeapByteBufferAllocator());
  }

  /** Adds a non-null value to the page. */
  abstract void value(Object v) throws IOException;

  /**
   * Decides the page's values encoding (falling back to plain if the first page does not compress
   * with the dictionary) and puts the page's min and max into {@code stats}.
   */
  abstract Encoding finishValues(Statistics<?> stats) throws IOException;

  /** The page's encoded values, valid until {@link #resetPage}. */
  abstract BytesInput valueBytes() throws IOException;

  abstract long pageBytes();

  long dictionaryBytes() {
    return 0;
  }

  DictionaryPage dictionaryPage() {
    return null;
  }

  abstract void resetPage();

  void resetChunk() {}

  /** A growable little-endian byte buffer: a page's plain values. */
  static final class Buf {
    byte[] a = new byte[1024];
    int n;

    private void ensure(int k) {
      if (n + k > a.length) {
        a = Arrays.copyOf(a, Math.max(a.length * 2, n + k));
      }
    }

    void i32(int v) {
      ensure(4);
      INT_LE.set(a, n, v);
      n += 4;
    }

    void i64(long v) {
      ensure(8);
      LONG_LE.set(a, n, v);
      n += 8;
    }

    void bytes(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, a, n, b.length);
      n += b.length;
    }

    void u8(int v) {
      ensure(1);
      a[n++] = (byte) v;
    }

    BytesInput input() {
      return BytesInput.from(a, 0, n);
    }
  }

  /**
   * A dictionary-encoded column with parquet-mr's fallback to plain: the page's values are ids into
   * the chunk's dictionary until the dictionary passes {@link #DICTIONARY_BYTES} or the first page
   * is not smaller encoded with it, then plain bytes for the rest of the chunk.
   */
  abstract static class Dictionary extends LeafColumn {
    /** The page's ids (dictionary mode). */
    int[] ids = new int[256];

    /** Non-null values in the page. */
    int count;

    /** The page's plain values (after fallback). */
    final Buf plain = new Buf();

    boolean fellBack;
    private boolean dictionaryPageWritten;

    /** Plain-encoded size of the first page's values: parquet-mr's measure of the dictionary. */
    private long rawSize;

    /** Dictionary id → the page number it was last seen in, for the page's min and max. */
    int[] seenInPage = new int[256];

    /** The page's number in the chunk, from 1: the first page decides the encoding. */
    private int pageNumber = 1;

    /** Ids of the page's min and max value, or -1. */
    int minId = -1;

    int maxId = -1;

    private BytesInput idBytes;

    Dictionary(ColumnDescriptor column) {
      super(column);
    }

    /** Entries in the dictionary. */
    abstract int size();

    /** Writes the value of dictionary entry {@code id} in plain encoding. */
    abstract void plainOf(int id, Buf out);

    /** Compares two dictionary entries in the column's order. */
    abstract int compareIds(int a, int b);

    /** Puts entries {@code minId} and {@code maxId} into {@code stats}. */
    abstract void idStats(Statistics<?> stats);

    /** Puts the min and max of the plain values seen since the fallback into {@code stats}. */
    abstract void plainStats(Statistics<?> stats);

    abstract void clearDictionary();

    /**
     * Records the id of a value just looked up (dictionary mode), whose plain encoding takes {@code
     * plainSize} bytes.
     */
    final void addId(int id, int plainSize) {
      if (pageNumber == 1) {
        rawSize += plainSize;
      }
      if (count == ids.length) {
        ids = Arrays.copyOf(ids, count * 2);
      }
      ids[count++] = id;
      if (id >= seenInPage.length) {
        seenInPage = Arrays.copyOf(seenInPage, Math.max(seenInPage.length * 2, id + 1));
      }
      if (seenInPage[id] != pageNumber) {
        seenInPage[id] = pageNumber;
        if (minId < 0 || compareIds(id, minId) < 0) {
          minId = id;
        }
        if (maxId < 0 || compareIds(id, maxId) > 0) {
          maxId = id;
        }
      }
      if (dictionaryBytes() > DICTIONARY_BYTES) {
        fallBack();
      }
    }

    /** Re-encodes the page's ids as plain values; the rest of the chunk is plain. */
    final void fallBack() {
      fellBack = true;
      for (int i = 0; i < count; i++) {
        plainOf(ids[i], plain);
      }
      startPlainStats();
    }

    /** After a fallback, the page's plain values so far start the plain min and max. */
    abstract void startPlainStats();

    @Override
    final Encoding finishValues(Statistics<?> stats) throws IOException {
      if (!fellBack) {
        int bitWidth = BytesUtils.getWidthFromMaxInt(size() - 1);
        RunLengthBitPackingHybridEncoder encoder =
            new RunLengthBitPackingHybridEncoder(
                bitWidth, 256, DICTIONARY_BYTES, new HeapByteBufferAllocator());
        for (int i = 0; i < count; i++) {
          encoder.writeInt(ids[i]);
        }
        BytesInput rle = encoder.toBytes();
        BytesInput bytes = BytesInput.concat(BytesInput.from(new byte[] {(byte) bitWidth}), rle);
        if (pageNumber > 1 || bytes.size() + dictionaryBytes() < rawSize) {
          idBytes = BytesInput.from(bytes.toByteArray());
          encoder.close();
          dictionaryPageWritten = true;
          if (minId >= 0) {
            idStats(stats);
          }
          return plainDictionary();
        }
        encoder.close();
        fallBack();
      }
      plainStats(stats);
      return Encoding.PLAIN;
    }

    @SuppressWarnings("deprecation") // PLAIN_DICTIONARY: format v1's label of dictionary pages
    private static Encoding plainDictionary() {
      return Encoding.PLAIN_DICTIONARY;
    }

    @Override
    final BytesInput valueBytes() {
      return fellBack ? plain.input() : idBytes;
    }

    @Override
    final long pageBytes() {
      return fellBack ? plain.n : 4L * count;
    }

    @Override
    final DictionaryPage dictionaryPage() {
      if (!dictionaryPageWritten) {
        return null;
      }
      Buf plainEntries = new Buf();
      for (int id = 0; id < size(); id++) {
        plainOf(id, plainEntries);
      }
      return new DictionaryPage(plainEntries.input(), size(), plainDictionary());
    }

    @Override
    void resetPage() {
      count = 0;
      plain.n = 0;
      idBytes = null;
      minId = -1;
      maxId = -1;
      pageNumber++;
      resetPlainStats();
    }

    abstract void resetPlainStats();

    @Override
    final void resetChunk() {
      fellBack = false;
      dictionaryPageWritten = false;
      rawSize = 0;
      clearDictionary();
      Arrays.fill(seenInPage, 0);
      pageNumber = 1;
    }
  }

  /** UTF-8 strings ({@code BINARY (STRING)}), compared as unsigned bytes. */
  static final class Strings extends Dictionary {
    private int[] table = new int[1024]; // id + 1, 0 = empty
    private String[] keys = new String[256];
    private int[] hashes = new int[256];
    private byte[][] utf8 = new byte[256][];
    private int size;
    private long dictionaryBytes;
    private byte[] min;
    private byte[] max;

    /** The previous value and its id: a session's strings repeat on its consecutive child rows. */
    private String last;

    private int lastId;

    Strings(ColumnDescriptor column) {
      super(column);
    }

    @Override
    void value(Object v) {
      String s = (String) v;
      if (fellBack) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        plain.i32(b.length);
        plain.bytes(b);
        count++;
        plainMinMax(b);
        return;
      }
      int id;
      if (s == last) {
        id = lastId;
      } else {
        id = find(s);
        last = s;
        lastId = id;
      }
      addId(id, 4 + utf8[id].length);
    }

    private int find(String s) {
      int h = s.hashCode();
      int mask = table.length - 1;
      int i = mix(h) & mask;
      while (true) {
        int e = table[i];
        if (e == 0) {
          return insert(s, h, i);
        }
        int id = e - 1;
        String k = keys[id];
        if (k == s || (hashes[id] == h && k.equals(s))) {
          return id;
        }
        i = (i + 1) & mask;
      }
    }

    private int insert(String s, int h, int slot) {
      int id = size++;
      if (id == keys.length) {
        keys = Arrays.copyOf(keys, id * 2);
        hashes = Arrays.copyOf(hashes, id * 2);
        utf8 = Arrays.copyOf(utf8, id * 2);
      }
      keys[id] = s;
      hashes[id] = h;
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      utf8[id] = b;
      dictionaryBytes += 4L + b.length;
      table[slot] = id + 1;
      if (size * 2 > table.length) {
        rehash();
      }
      return id;
    }

    private void rehash() {
      int[] t = new int[table.length * 2];
      int mask = t.length - 1;
      for (int id = 0; id < size; id++) {
        int i = mix(hashes[id]) & mask;
        while (t[i] != 0) {
          i = (i + 1) & mask;
        }
        t[i] = id + 1;
      }
      table = t;
    }

    private void plainMinMax(byte[] b) {
      if (min == null || Arrays.compareUnsigned(b, min) < 0) {
        min = b;
      }
      if (max == null || Arrays.compareUnsigned(b, max) > 0) {
        max = b;
      }
    }

    @Override
    int size() {
      return size;
    }

    @Override
    long dictionaryBytes() {
      return dictionaryBytes;
    }

    @Override
    void plainOf(int id, Buf out) {
      out.i32(utf8[id].length);
      out.bytes(utf8[id]);
    }

    @Override
    int compareIds(int a, int b) {
      return Arrays.compareUnsigned(utf8[a], utf8[b]);
    }

    @Override
    void idStats(Statistics<?> stats) {
      stats.updateStats(Binary.fromConstantByteArray(utf8[minId]));
      stats.updateStats(Binary.fromConstantByteArray(utf8[maxId]));
    }

    @Override
    void startPlainStats() {
      min = minId < 0 ? null : utf8[minId];
      max = maxId < 0 ? null : utf8[maxId];
    }

    @Override
    void plainStats(Statistics<?> stats) {
      if (min != null) {
        stats.updateStats(Binary.fromConstantByteArray(min));
        stats.updateStats(Binary.fromConstantByteArray(max));
      }
    }

    @Override
    void resetPlainStats() {
      min = null;
      max = null;
    }

    @Override
    void clearDictionary() {
      Arrays.fill(table, 0);
      Arrays.fill(keys, 0, size, null);
      Arrays.fill(utf8, 0, size, null);
      size = 0;
      dictionaryBytes = 0;
      last = null;
    }
  }

  /**
   * Dictionary of whole numbers, kept as longs: {@code INT64} columns (timestamps as epoch
   * milliseconds) written as 8 bytes, {@code INT32} columns as 4.
   */
  static final class Numbers extends Dictionary {
    private final boolean wide;
    private int[] table = new int[1024];
    private long[] keys = new long[256];
    private int size;
    private long min;
    private long max;
    private boolean any;
    private long last;
    private int lastId;
    private boolean hasLast;

    Numbers(ColumnDescriptor column, boolean wide) {
      super(column);
      this.wide = wide;
    }

    @Override
    void value(Object v) {
      long x = v instanceof Timestamp t ? t.getTime() : wide ? (long) (Long) v : (int) (Integer) v;
      if (fellBack) {
        put(plain, x);
        count++;
        plainMinMax(x);
        return;
      }
      if (!hasLast || x != last) {
        last = x;
        lastId = find(x);
        hasLast = true;
      }
      addId(lastId, wide ? 8 : 4);
    }

    private void put(Buf out, long x) {
      if (wide) {
        out.i64(x);
      } else {
        out.i32((int) x);
      }
    }

    private void update(Statistics<?> stats, long x) {
      if (wide) {
        stats.updateStats(x);
      } else {
        stats.updateStats((int) x);
      }
    }

    private void plainMinMax(long x) {
      if (!any || x < min) {
        min = x;
      }
      if (!any || x > max) {
        max = x;
      }
      any = true;
    }

    private int find(long x) {
      int mask = table.length - 1;
      int i = mix(Long.hashCode(x)) & mask;
      while (true) {
        int e = table[i];
        if (e == 0) {
          int id = size++;
          if (id == keys.length) {
            keys = Arrays.copyOf(keys, id * 2);
          }
          keys[id] = x;
          table[i] = id + 1;
          if (size * 2 > table.length) {
            rehash();
          }
          return id;
        }
        if (keys[e - 1] == x) {
          return e - 1;
        }
        i = (i + 1) & mask;
      }
    }

    private void rehash() {
      int[] t = new int[table.length * 2];
      int mask = t.length - 1;
      for (int id = 0; id < size; id++) {
        int i = mix(Long.hashCode(keys[id])) & mask;
        while (t[i] != 0) {
          i = (i + 1) & mask;
        }
        t[i] = id + 1;
      }
      table = t;
    }

    @Override
    int size() {
      return size;
    }

    @Override
    long dictionaryBytes() {
      return (wide ? 8L : 4L) * size;
    }

    @Override
    void plainOf(int id, Buf out) {
      put(out, keys[id]);
    }

    @Override
    int compareIds(int a, int b) {
      return Long.compare(keys[a], keys[b]);
    }

    @Override
    void idStats(Statistics<?> stats) {
      update(stats, keys[minId]);
      update(stats, keys[maxId]);
    }

    @Override
    void startPlainStats() {
      any = minId >= 0;
      if (any) {
        min = keys[minId];
        max = keys[maxId];
      }
    }

    @Override
    void plainStats(Statistics<?> stats) {
      if (any) {
        update(stats, min);
        update(stats, max);
      }
    }

    @Override
    void resetPlainStats() {
      any = false;
    }

    @Override
    void clearDictionary() {
      Arrays.fill(table, 0);
      size = 0;
      hasLast = false;
    }
  }

  /** Booleans: plain, bit-packed eight to a byte, first value in the lowest bit. */
  static final class Booleans extends LeafColumn {
    private final Buf bits = new Buf();
    private int count;
    private boolean anyTrue;
    private boolean anyFalse;

    Booleans(ColumnDescriptor column) {
      super(column);
    }

    @Override
    void value(Object v) {
      boolean b = (Boolean) v;
      int bit = count & 7;
      if (bit == 0) {
        bits.u8(0);
      }
      if (b) {
        bits.a[bits.n - 1] |= (byte) (1 << bit);
        anyTrue = true;
      } else {
        anyFalse = true;
      }
      count++;
    }

    @Override
    Encoding finishValues(Statistics<?> stats) {
      if (anyFalse) {
        stats.updateStats(false);
      }
      if (anyTrue) {
        stats.updateStats(true);
      }
      return Encoding.PLAIN;
    }

    @Override
    BytesInput valueBytes() {
      return bits.input();
    }

    @Override
    long pageBytes() {
      return bits.n;
    }

    @Override
    void resetPage() {
      bits.n = 0;
      count = 0;
      anyTrue = false;
      anyFalse = false;
    }
  }

  /** Spreads a hash over the low bits that index the open-addressing tables. */
  private static int mix(int h) {
    int x = h * 0x9E3779B9;
    return x ^ (x >>> 16);
  }
}
