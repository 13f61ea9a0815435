package io.ivsanalytics.reports;

import io.ivsanalytics.config.Settings;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Ingest limits per IVS channel type: built into the jar (the file {@code conf/bitrate-limits.csv}
 * of the source tree), or from the file named by the setting {@code report.limits}. Decimal units:
 * 1 Mbps = 1,000,000 bps.
 *
 * <p>Columns: {@code channel_type, max_height_for_low_bitrate_px, low_max_bitrate_bps,
 * max_bitrate_bps, max_long_side_px, max_short_side_px, max_fps}. The two "low" columns are either
 * both set (tracks whose height is at most the first are held to the second) or both empty. Lines
 * starting with {@code #} are comments.
 */
public record BitrateLimits(Map<String, ChannelLimits> byChannelType) implements Serializable {

  public static final List<String> COLUMNS =
      List.of(
          "channel_type",
          "max_height_for_low_bitrate_px",
          "low_max_bitrate_bps",
          "max_bitrate_bps",
          "max_long_side_px",
          "max_short_side_px",
          "max_fps");

  /** Limits of one channel type; the two low-bitrate fields are null when not used. */
  public record ChannelLimits(
      String channelType,
      Integer maxHeightForLowBitrate,
      Long lowMaxBitrateBps,
      long maxBitrateBps,
      int maxLongSide,
      int maxShortSide,
      int maxFps)
      implements Serializable {}

  public BitrateLimits {
    byChannelType = Collections.unmodifiableMap(new TreeMap<>(byChannelType));
  }

  public ChannelLimits get(String channelType) {
    return channelType == null ? null : byChannelType.get(channelType);
  }

  /** The built-in limits' resource name, beside this class in the jar. */
  static final String BUILT_IN = "bitrate-limits.csv";

  /** The file of {@code report.limits} when set, else the built-in limits. */
  public static BitrateLimits load(Settings settings) {
    String file = settings.get("report.limits");
    return file == null ? builtIn() : load(Path.of(file));
  }

  /** The limits shipped in the jar. */
  public static BitrateLimits builtIn() {
    try (java.io.InputStream in = BitrateLimits.class.getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IllegalStateException(
            "the built-in bitrate limits (" + BUILT_IN + ") are missing from the classpath");
      }
      return parse("built-in " + BUILT_IN, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the built-in bitrate limits", e);
    }
  }

  public static BitrateLimits load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new Settings.ConfigException("bitrate limits file not found: " + file);
    } catch (IOException e) {
      throw new Settings.ConfigException(
          "cannot read bitrate limits " + file + ": " + e.getMessage());
    }
    return parse(file.toString(), text);
  }

  static BitrateLimits parse(String source, String text) {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    CSVFormat format =
        CSVFormat.RFC4180.builder().setCommentMarker('#').setIgnoreEmptyLines(true).get();
    Map<String, ChannelLimits> out = new TreeMap<>();
    boolean headerSeen = false;
    try (Reader r = new java.io.StringReader(text);
        CSVParser parser = CSVParser.parse(r, format)) {
      for (CSVRecord rec : parser) {
        long line = parser.getCurrentLineNumber();
        if (!headerSeen) {
          List<String> header = rec.stream().map(String::strip).toList();
          if (!header.equals(COLUMNS)) {
            throw bad(
                source,
                line,
                "header must be "
                    + String.join(",", COLUMNS)
                    + ", got '"
                    + String.join(",", header)
                    + "'");
          }
          headerSeen = true;
          continue;
        }
        if (rec.size() != COLUMNS.size()) {
          throw bad(
              source,
              line,
              "expected "
                  + COLUMNS.size()
                  + " fields, got "
                  + rec.size()
                  + ": '"
                  + String.join(",", rec.toList())
                  + "'");
        }
        String type = rec.get(0).strip();
        if (!type.matches("[A-Z0-9_]+")) {
          throw bad(
              source,
              line,
              "channel_type must be an IVS channel type like BASIC, got '" + type + "'");
        }
        Long lowHeight = number(source, line, COLUMNS.get(1), rec.get(1), true);
        Long lowBitrate = number(source, line, COLUMNS.get(2), rec.get(2), true);
        if ((lowHeight == null) != (lowBitrate == null)) {
          throw bad(
              source,
              line,
              COLUMNS.get(1)
                  + " and "
                  + COLUMNS.get(2)
                  + " must both be set or both be empty for "
                  + type);
        }
        long max = number(source, line, COLUMNS.get(3), rec.get(3), false);
        if (lowBitrate != null && lowBitrate > max) {
          throw bad(
              source,
              line,
              COLUMNS.get(2) + " " + lowBitrate + " is above " + COLUMNS.get(3) + " " + max);
        }
        ChannelLimits limits =
            new ChannelLimits(
                type,
                lowHeight == null ? null : Math.toIntExact(lowHeight),
                lowBitrate,
                max,
                Math.toIntExact(number(source, line, COLUMNS.get(4), rec.get(4), false)),
                Math.toIntExact(number(source, line, COLUMNS.get(5), rec.get(5), false)),
                Math.toIntExact(number(source, line, COLUMNS.get(6), rec.get(6), false)));
        if (out.put(type, limits) != null) {
          throw bad(source, line, "channel_type '" + type + "' is listed twice");
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new Settings.ConfigException(source + ": not a valid CSV file: " + e.getMessage());
    }
    if (!headerSeen) {
      throw new Settings.ConfigException(
          source + ": empty; expected header " + String.join(",", COLUMNS));
    }
    return new BitrateLimits(out);
  }

  private static Long number(
      String source, long line, String column, String raw, boolean optional) {
    String v = raw.strip();
    if (v.isEmpty()) {
      if (optional) {
        return null;
      }
      throw bad(source, line, column + " is required");
    }
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw bad(source, line, column + " must be a whole positive number, got '" + raw + "'");
    }
    if (n <= 0 || n > Integer.MAX_VALUE * 4L) {
      throw bad(source, line, column + " must be a whole positive number, got '" + raw + "'");
    }
    return n;
  }

  private static Settings.ConfigException bad(String source, long line, String what) {
    return new Settings.ConfigException(
        String.format(Locale.ROOT, "%s line %d: %s", source, line, what));
  }
}
