package io.ivsanalytics.ingest;

import io.ivsanalytics.config.UsageException;
import io.ivsanalytics.lake.LakeFs;
import io.ivsanalytics.model.IvsArn;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The {@code --ids FILE} input: one channel ARN per line, or CSV with the header {@code
 * channel_arn,stream_id} where a blank stream id means "all sessions in the window".
 *
 * <p>UTF-8 with or without BOM, LF or CRLF. Blank lines and lines starting with {@code #} are
 * skipped. A repeated id is kept once and reported as a warning with its line numbers. Anything
 * else that is not a valid id stops the job (exit code 2) with the file, line number and value. Ids
 * of several accounts and regions may be mixed; each (account, region) gets its own quota. The file
 * may be local or at any Hadoop URI ({@code s3://bucket/ids.csv}).
 */
public final class IdsFile {
  public static final String CSV_HEADER = "channel_arn,stream_id";
  private static final Pattern STREAM_ID = Pattern.compile("^st-[A-Za-z0-9]+$");
  private static final CSVFormat LINE_FORMAT =
      CSVFormat.RFC4180.builder().setIgnoreSurroundingSpaces(true).setTrim(true).get();

  /** The parsed ids in file order, duplicates removed, plus warnings for the summary. */
  public record Parsed(String file, List<FetchId> ids, List<String> warnings) {
    /** Number of ids per {@code account/region}, sorted by key. */
    public Map<String, Long> countByAccountRegion() {
      return ids.stream()
          .collect(
              Collectors.groupingBy(FetchId::accountRegion, TreeMap::new, Collectors.counting()));
    }
  }

  public static Parsed read(Path file) {
    List<String> lines;
    try {
      lines = readUtf8Lines(file);
    } catch (NoSuchFileException e) {
      throw new UsageException("ids file not found: " + file);
    } catch (CharacterCodingException e) {
      throw new UsageException("ids file " + file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new UsageException("cannot read ids file " + file + ": " + e.getMessage());
    }
    return parse(file.toString(), lines);
  }

  /**
   * Reads the ids file at {@code location}: a local path, or any Hadoop URI ({@code s3://}, {@code
   * s3a://}, {@code hdfs://} ...) read through the lake file system with Spark's Hadoop
   * configuration. Errors name the location as given.
   */
  public static Parsed read(LakeFs fs, String location) {
    if (!isUri(location)) {
      return read(Path.of(location));
    }
    byte[] bytes;
    try {
      if (fs.isDirectory(location)) {
        throw new UsageException("cannot read ids file " + location + ": is a directory");
      }
      bytes = fs.readAll(location);
    } catch (FileNotFoundException e) {
      throw new UsageException("ids file not found: " + location);
    } catch (IOException e) {
      throw new UsageException("cannot read ids file " + location + ": " + e.getMessage());
    }
    List<String> lines;
    try {
      lines = utf8Lines(bytes);
    } catch (CharacterCodingException e) {
      throw new UsageException("ids file " + location + " is not UTF-8 text");
    }
    return parse(location, lines);
  }

  /** True for a Hadoop URI ({@code scheme://...}); a plain path or {@code C:\...} is local. */
  public static boolean isUri(String location) {
    return LakeFs.isUri(location);
  }

  static List<String> utf8Lines(byte[] bytes) throws CharacterCodingException {
    String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return new BufferedReader(new StringReader(text)).lines().toList();
  }

  static List<String> readUtf8Lines(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException("is a directory");
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
      lines.set(0, lines.get(0).substring(1));
    }
    return lines;
  }

  static Parsed parse(String file, List<String> lines) {
    Boolean csv = null;
    Map<FetchId, List<Integer>> seen = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      int lineNo = i + 1;
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (csv == null) {
        csv = isHeader(line);
        if (csv) {
          continue;
        }
      }
      FetchId id = csv ? parseCsvLine(file, lineNo, line) : parseArnLine(file, lineNo, line);
      seen.computeIfAbsent(id, k -> new ArrayList<>()).add(lineNo);
    }
    if (seen.isEmpty()) {
      throw new UsageException(
          "ids file " + file + " contains no ids (only blank lines, comments or a header)");
    }
    List<String> warnings = new ArrayList<>();
    for (Map.Entry<FetchId, List<Integer>> e : seen.entrySet()) {
      List<Integer> at = e.getValue();
      if (at.size() > 1) {
        warnings.add(
            String.format(
                Locale.ROOT,
                "%s: duplicate id %s on lines %s (kept once)",
                file,
                e.getKey(),
                at.stream().map(String::valueOf).collect(Collectors.joining(", "))));
      }
    }
    return new Parsed(file, List.copyOf(seen.keySet()), List.copyOf(warnings));
  }

  private static boolean isHeader(String line) {
    return line.replace(" ", "").replace("\"", "").equalsIgnoreCase(CSV_HEADER);
  }

  private static FetchId parseArnLine(String file, int lineNo, String line) {
    if (line.contains(",")) {
      throw error(
          file,
          lineNo,
          line,
          "a line with a comma needs the CSV header '" + CSV_HEADER + "' as the first line");
    }
    return new FetchId(channelArn(file, lineNo, line), null);
  }

  private static FetchId parseCsvLine(String file, int lineNo, String line) {
    List<String> cells = splitCsv(file, lineNo, line);
    if (cells.size() > 2) {
      throw error(
          file, lineNo, line, "expected 2 columns (" + CSV_HEADER + "), got " + cells.size());
    }
    String arn = cells.get(0).strip();
    String stream = cells.size() > 1 ? cells.get(1).strip() : "";
    if (arn.isEmpty()) {
      if (!stream.isEmpty()) {
        throw error(file, lineNo, line, "stream id '" + stream + "' without a channel_arn");
      }
      throw error(file, lineNo, line, "empty channel_arn");
    }
    String channel = channelArn(file, lineNo, arn);
    if (stream.isEmpty()) {
      return new FetchId(channel, null);
    }
    if (!STREAM_ID.matcher(stream).matches()) {
      throw error(file, lineNo, stream, "not a stream id (st-<letters and digits>)");
    }
    return new FetchId(channel, stream);
  }

  private static String channelArn(String file, int lineNo, String value) {
    try {
      return IvsArn.parseChannel(value).format();
    } catch (IllegalArgumentException e) {
      throw error(file, lineNo, value, e.getMessage());
    }
  }

  /**
   * The RFC 4180 cells of one line (commas separate, double quotes may wrap a cell, spaces around a
   * cell do not count). Each line is its own record, so a line number is always the file's.
   */
  private static List<String> splitCsv(String file, int lineNo, String line) {
    try (CSVParser parser = CSVParser.parse(line, LINE_FORMAT)) {
      List<CSVRecord> records = parser.getRecords();
      return records.isEmpty() ? List.of("") : records.get(0).toList();
    } catch (IOException | UncheckedIOException e) {
      throw error(file, lineNo, line, "unterminated quote");
    }
  }

  private static UsageException error(String file, int lineNo, String value, String why) {
    return new UsageException(
        String.format(
            Locale.ROOT, "ids file %s line %d: %s (value '%s')", file, lineNo, why, value));
  }

  private IdsFile() {}
}
