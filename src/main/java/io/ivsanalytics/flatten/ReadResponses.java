package io.ivsanalytics.flatten;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.ivsanalytics.flatten.InputFiles.InputFile;
import io.ivsanalytics.lake.LakeFs;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;

/**
 * Executor side of the read: each task gets a group of files and streams their records, parsing
 * every response once ({@link SessionParser}).
 *
 * <p>Two layouts: JSON lines (one response per line; a bad line becomes one error row naming the
 * file and line, the next line goes on) and documents (a pretty-printed response as {@code aws ivs
 * get-stream-session} prints it, several concatenated, or a JSON array of them). {@code *.jsonl} /
 * {@code *.ndjson} are always JSON lines; a {@code *.json} file is JSON lines when its first
 * non-blank line is a complete JSON value, else a document file. A response without {@code
 * fetchedAt} gets the file's modification time as {@code fetched_at}.
 */
final class ReadResponses {
  private static final int BUFFER = 1 << 16;

  /** The records of the files, file after file, parsed as they are read. */
  static Iterator<ParsedRecord> records(LakeFs c, List<InputFile> files) {
    Iterator<InputFile> it = files.iterator();
    return new Iterator<>() {
      private Iterator<ParsedRecord> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && it.hasNext()) {
          current = read(c, it.next());
        }
        return current.hasNext();
      }

      @Override
      public ParsedRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  /** Record id: file number in the high 32 bits, line (or document number) in the low ones. */
  static long recordId(int fileIndex, long ordinal) {
    return ((long) fileIndex << 32) | (ordinal & 0xFFFFFFFFL);
  }

  static Iterator<ParsedRecord> read(LakeFs conf, InputFile f) {
    Instant mtime = Instant.ofEpochMilli(f.modificationTime());
    if (f.jsonLines()) {
      try {
        BufferedInputStream in = openBytes(conf, f);
        if (utf8(in)) {
          return new ByteLines(f, in, mtime);
        }
        return new Lines(f, new BufferedReader(utf16(in), 4 * BUFFER), mtime, null, 0);
      } catch (IOException e) {
        return List.of(unreadable(f, mtime, e)).iterator();
      }
    }
    BufferedReader reader;
    try {
      reader = open(conf, f);
    } catch (IOException e) {
      return List.of(unreadable(f, mtime, e)).iterator();
    }
    try {
      if (f.jsonLines()) {
        return new Lines(f, reader, mtime, null, 0);
      }
      StringBuilder consumed = new StringBuilder();
      long lineNo = 0;
      String first;
      while ((first = reader.readLine()) != null) {
        lineNo++;
        consumed.append(first).append('\n');
        if (!first.isBlank()) {
          break;
        }
      }
      if (first == null) {
        reader.close();
        return List.of(
                SessionParser.errorRow(
                    f.path() + ": empty file", null, null, mtime, f.path(), recordId(f.index(), 0)))
            .iterator();
      }
      if (isCompleteJson(first)) {
        return new Lines(f, reader, mtime, first, lineNo);
      }
      try (reader) {
        java.io.StringWriter all = new java.io.StringWriter();
        all.append(consumed);
        reader.transferTo(all);
        return documents(f, new StringReader(all.toString()), mtime).iterator();
      }
    } catch (IOException e) {
      closeQuietly(reader);
      return List.of(unreadable(f, mtime, e)).iterator();
    }
  }

  private static BufferedInputStream openBytes(LakeFs fs, InputFile f) throws IOException {
    InputStream in = fs.open(f.path());
    try {
      return new BufferedInputStream(f.gzip() ? new GZIPInputStream(in, BUFFER) : in, BUFFER);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /**
   * Whether the stream is UTF-8 (no byte order mark, or a UTF-8 one, which is then skipped): the
   * lines are parsed from their bytes. Else it is left at its start, for {@link #decode}.
   */
  private static boolean utf8(BufferedInputStream in) throws IOException {
    in.mark(3);
    int b0 = in.read();
    int b1 = in.read();
    int b2 = in.read();
    if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) {
      return true;
    }
    in.reset();
    return !((b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF));
  }

  private static BufferedReader open(LakeFs fs, InputFile f) throws IOException {
    InputStream in = fs.open(f.path());
    try {
      if (f.gzip()) {
        in = new GZIPInputStream(in, BUFFER);
      }
      return new BufferedReader(decode(in), 4 * BUFFER);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /**
   * The text of a file: UTF-8, with or without a byte order mark, or UTF-16 (little or big endian)
   * with its byte order mark, as Windows PowerShell's {@code Out-File} writes.
   */
  static Reader decode(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
    return utf8(in) ? new InputStreamReader(in, StandardCharsets.UTF_8) : utf16(in);
  }

  /** A reader of a stream that {@link #utf8} found to start with a UTF-16 byte order mark. */
  private static Reader utf16(BufferedInputStream in) throws IOException {
    int b0 = in.read();
    in.read();
    return new InputStreamReader(
        in, b0 == 0xFF ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE);
  }

  private static ParsedRecord unreadable(InputFile f, Instant mtime, IOException e) {
    return SessionParser.errorRow(
        String.format(Locale.ROOT, "%s: cannot read: %s", f.path(), e.getMessage()),
        null,
        null,
        mtime,
        f.path(),
        recordId(f.index(), 0));
  }

  private static boolean isCompleteJson(String line) {
    try {
      SessionParser.MAPPER.readTree(line);
      return true;
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private static List<ParsedRecord> documents(InputFile f, Reader reader, Instant mtime)
      throws IOException {
    List<ParsedRecord> out = new ArrayList<>();
    try (JsonParser p = SessionParser.MAPPER.getFactory().createParser(reader)) {
      int ordinal = 0;
      boolean inArray = false;
      while (true) {
        long line = 0;
        try {
          JsonToken t = p.nextToken();
          if (t == null) {
            break;
          }
          if (!inArray && t == JsonToken.START_ARRAY && ordinal == 0) {
            inArray = true;
            continue;
          }
          if (inArray && t == JsonToken.END_ARRAY) {
            inArray = false;
            continue;
          }
          line = p.currentTokenLocation().getLineNr();
          JsonNode node = SessionParser.MAPPER.readTree(p);
          ordinal++;
          String where = String.format(Locale.ROOT, "%s line %d", f.path(), line);
          out.add(SessionParser.parse(node, f.path(), where, recordId(f.index(), line), mtime));
        } catch (JsonProcessingException e) {
          long at = e.getLocation() != null ? e.getLocation().getLineNr() : line;
          out.add(
              SessionParser.errorRow(
                  String.format(
                      Locale.ROOT,
                      "%s line %d: not valid JSON: %s",
                      f.path(),
                      at,
                      e.getOriginalMessage()),
                  null,
                  null,
                  mtime,
                  f.path(),
                  recordId(f.index(), Math.max(at, line))));
          break;
        }
      }
    }
    return out;
  }

  private static void closeQuietly(BufferedReader r) {
    try {
      r.close();
    } catch (IOException ignored) {
      // already failing
    }
  }

  /**
   * One JSON lines file as records: one per non-blank line; a read failure ends the file with an
   * error row naming the line.
   */
  private abstract static class LineRecords implements Iterator<ParsedRecord> {
    final InputFile f;
    final Instant mtime;
    long lineNo;
    private ParsedRecord next;
    private boolean done;

    LineRecords(InputFile f, Instant mtime, long lineNo) {
      this.f = f;
      this.mtime = mtime;
      this.lineNo = lineNo;
    }

    /** The record of the next non-blank line, counting lines; null at the end of the file. */
    abstract ParsedRecord readNext() throws IOException;

    abstract void close();

    String where() {
      return f.path() + " line " + lineNo;
    }

    void first(ParsedRecord r) {
      next = r;
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (done) {
        return false;
      }
      try {
        next = readNext();
        if (next != null) {
          return true;
        }
      } catch (IOException e) {
        next =
            SessionParser.errorRow(
                String.format(
                    Locale.ROOT,
                    "%s line %d: cannot read: %s",
                    f.path(),
                    lineNo + 1,
                    e.getMessage()),
                null,
                null,
                mtime,
                f.path(),
                recordId(f.index(), lineNo + 1));
      }
      done = true;
      close();
      return next != null;
    }

    @Override
    public ParsedRecord next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      ParsedRecord r = next;
      next = null;
      return r;
    }
  }

  /**
   * Streams one UTF-8 JSON lines file from its bytes, parsed without decoding each line to a string
   * first ({@link SessionParser#parseUtf8}).
   */
  private static final class ByteLines extends LineRecords {
    private final InputStream in;
    private byte[] buf = new byte[BUFFER];
    private int start;
    private int end;

    ByteLines(InputFile f, InputStream in, Instant mtime) {
      super(f, mtime, 0);
      this.in = in;
    }

    @Override
    ParsedRecord readNext() throws IOException {
      while (true) {
        int nl = indexOf((byte) '\n', start, end);
        if (nl < 0 && !fill()) {
          nl = end;
          if (start == end) {
            return null;
          }
        } else if (nl < 0) {
          continue;
        }
        lineNo++;
        int from = start;
        int to = nl;
        start = Math.min(nl + 1, end);
        if (to > from && buf[to - 1] == '\r') {
          to--;
        }
        if (!blank(from, to)) {
          return SessionParser.parseUtf8(
              buf, from, to - from, f.path(), where(), recordId(f.index(), lineNo), mtime);
        }
      }
    }

    @Override
    void close() {
      try {
        in.close();
      } catch (IOException ignored) {
        // the records are read
      }
    }

    /** Reads more bytes, keeping the unfinished line; false at the end of the stream. */
    private boolean fill() throws IOException {
      if (start > 0) {
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        start = 0;
      }
      if (end == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      int n = in.read(buf, end, buf.length - end);
      if (n < 0) {
        return false;
      }
      end += n;
      return true;
    }

    private int indexOf(byte b, int from, int to) {
      for (int i = from; i < to; i++) {
        if (buf[i] == b) {
          return i;
        }
      }
      return -1;
    }

    /** Only whitespace, as {@link String#isBlank} sees it for these bytes. */
    private boolean blank(int from, int to) {
      for (int i = from; i < to; i++) {
        byte b = buf[i];
        if (b < 0) {
          return new String(buf, from, to - from, StandardCharsets.UTF_8).isBlank();
        }
        if (b != ' '
            && b != '\t'
            && b != '\r'
            && b != '\f'
            && b != 0x0B
            && !(b >= 0x1C && b <= 0x1F)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Streams one JSON lines file of text (UTF-16, or after a first line read as text). */
  private static final class Lines extends LineRecords {
    private final BufferedReader reader;

    Lines(InputFile f, BufferedReader reader, Instant mtime, String firstLine, long firstLineNo) {
      super(f, mtime, firstLineNo);
      this.reader = reader;
      if (firstLine != null) {
        first(parse(firstLine));
      }
    }

    private ParsedRecord parse(String line) {
      return SessionParser.parseText(line, f.path(), where(), recordId(f.index(), lineNo), mtime);
    }

    @Override
    ParsedRecord readNext() throws IOException {
      String line;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if (!line.isBlank()) {
          return parse(line);
        }
      }
      return null;
    }

    @Override
    void close() {
      closeQuietly(reader);
    }
  }
}
