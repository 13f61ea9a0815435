package io.ivsanalytics.config;

import io.ivsanalytics.lake.LakeFs;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Job configuration from {@code conf/ivs-analytics.properties} (or {@code --conf FILE}).
 *
 * <p>Order of precedence, highest first: a command-line option, the environment variable {@code
 * IVS_ANALYTICS_<KEY>} (key upper-cased, dots as underscores, e.g. {@code
 * IVS_ANALYTICS_SMTP_PASSWORD}), the conf file, the built-in default. An unknown key in the file is
 * an error that names the file, line and key.
 */
public final class Settings implements Serializable {
  public static final Path DEFAULT_FILE = Path.of("conf", "ivs-analytics.properties");

  /** Every key the job understands, with its default (null = unset). */
  public static final Map<String, String> KEYS;

  static {
    Map<String, String> k = new LinkedHashMap<>();
    k.put("region", null);
    k.put("endpoint", null);
    k.put("quota.tps", "5");
    k.put("fetch.attempt.timeout.ms", "5000");
    k.put("fetch.call.timeout.ms", "120000");
    k.put("fetch.max.attempts", "8");
    k.put("fetch.partitions", null);
    k.put("fetch.safety", "0.97");
    k.put("fetch.backoff.base.ms", "200");
    k.put("fetch.backoff.max.ms", "20000");
    k.put("fetch.max.failed.share", "0.5");
    k.put("fetch.progress.interval.seconds", "10");
    k.put("aws.role.arn", null);
    k.put("aws.role.map", null);
    k.put("aws.role.external.id", null);
    k.put("aws.role.session.name", "ivs-session-analytics");
    k.put("aws.role.refresh.seconds", "300");
    k.put("sts.endpoint", null);
    k.put("lake", "lake");
    k.put("report.out", null);
    k.put("report.limits", null); // null: the limits built into the jar
    k.put("alert.takeover.failure.rate.max", null);
    k.put("alert.conformance.rate.min", null);
    k.put("alert.change.pp.max", null);
    k.put("alert.min.samples", "20");
    k.put("smtp.host", null);
    k.put("smtp.port", "587");
    k.put("smtp.starttls", "true");
    k.put("smtp.user", null);
    k.put("smtp.password", null);
    k.put("mail.from", null);
    k.put("mail.to", null);
    k.put("mail.subject", "IVS weekly report");
    KEYS = Collections.unmodifiableMap(k);
  }

  private final Map<String, String> fileValues;
  private final Map<String, String> env;
  private final String source;
  private final Map<String, String> options;

  private Settings(Map<String, String> fileValues, Map<String, String> env, String source) {
    this(fileValues, env, source, Map.of());
  }

  private Settings(
      Map<String, String> fileValues,
      Map<String, String> env,
      String source,
      Map<String, String> options) {
    this.fileValues = fileValues;
    this.env = env;
    this.source = source;
    this.options = options;
  }

  /**
   * These settings with values given as command-line options, which take precedence over the
   * environment and the file; null values (option not given) are ignored.
   */
  public Settings withOptions(Map<String, String> values) {
    Map<String, String> merged = new LinkedHashMap<>(options);
    values.forEach(
        (key, value) -> {
          if (!KEYS.containsKey(key)) {
            throw new IllegalArgumentException("unknown settings key " + key);
          }
          if (value != null) {
            merged.put(key, value.strip());
          }
        });
    return new Settings(fileValues, env, source, Collections.unmodifiableMap(merged));
  }

  /** Loads {@code file}; when {@code file} is null, the default file if present, else defaults. */
  public static Settings load(Path file) {
    return load(file, System.getenv());
  }

  static Settings load(Path file, Map<String, String> env) {
    Path p = file != null ? file : DEFAULT_FILE;
    if (file == null && !Files.exists(p)) {
      return new Settings(Map.of(), env, "defaults");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(p, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("conf file not found: " + p);
    } catch (IOException e) {
      throw new ConfigException("cannot read conf file " + p + ": " + e.getMessage());
    }
    return parse(p.toString(), lines, env);
  }

  /**
   * Loads the conf file at {@code location}: null for the default file, a local path, or a Hadoop
   * URI ({@code s3://bucket/conf/ivs-analytics.properties}) read with the {@code spark.hadoop.*}
   * settings the job was submitted with.
   */
  public static Settings loadFrom(String location) {
    if (location == null || !LakeFs.isUri(location)) {
      return load(location == null ? null : Path.of(location));
    }
    byte[] bytes;
    try {
      bytes = LakeFs.submitted().readAll(location);
    } catch (java.io.FileNotFoundException e) {
      throw new ConfigException("conf file not found: " + location);
    } catch (IOException e) {
      throw new ConfigException("cannot read conf file " + location + ": " + e.getMessage());
    }
    List<String> lines =
        new java.io.BufferedReader(
                new java.io.StringReader(new String(bytes, StandardCharsets.UTF_8)))
            .lines()
            .toList();
    return parse(location, lines, System.getenv());
  }

  private static Settings parse(String p, List<String> lines, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    try {
      int lineNo = 0;
      for (String line : lines) {
        lineNo++;
        String t = line.strip();
        if (lineNo == 1 && t.startsWith("\uFEFF")) {
          t = t.substring(1).strip();
        }
        if (t.isEmpty() || t.startsWith("#") || t.startsWith("!")) {
          continue;
        }
        Properties one = new Properties();
        try (Reader r = new java.io.StringReader(t)) {
          one.load(r);
        }
        for (String key : one.stringPropertyNames()) {
          if (!KEYS.containsKey(key)) {
            throw new ConfigException(
                String.format(
                    Locale.ROOT,
                    "%s line %d: unknown key '%s' (known keys: %s)",
                    p,
                    lineNo,
                    key,
                    String.join(", ", new TreeSet<>(KEYS.keySet()))));
          }
          values.put(key, one.getProperty(key).strip());
        }
      }
    } catch (IOException e) {
      throw new ConfigException("cannot read conf file " + p + ": " + e.getMessage());
    }
    return new Settings(values, env, p);
  }

  public static Settings defaults() {
    return new Settings(Map.of(), Map.of(), "defaults");
  }

  /**
   * The value of {@code key}: option, then environment, then file, then default; null when unset.
   */
  public String get(String key) {
    if (!KEYS.containsKey(key)) {
      throw new IllegalArgumentException("unknown settings key " + key);
    }
    String optionValue = options.get(key);
    if (optionValue != null) {
      return optionValue;
    }
    String envValue = env.get(envName(key));
    if (envValue != null && !envValue.isBlank()) {
      return envValue.strip();
    }
    String v = fileValues.get(key);
    return v != null && !v.isEmpty() ? v : KEYS.get(key);
  }

  /** {@code override} when the command line gave one, else {@link #get}. */
  public String get(String key, String override) {
    return override != null ? override : get(key);
  }

  public int getInt(String key) {
    String v = get(key);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(
          String.format(Locale.ROOT, "%s: '%s' must be an integer, got '%s'", source, key, v));
    }
  }

  public double getDouble(String key) {
    String v = get(key);
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(
          String.format(Locale.ROOT, "%s: '%s' must be a number, got '%s'", source, key, v));
    }
  }

  public boolean getBoolean(String key) {
    String v = get(key);
    if ("true".equalsIgnoreCase(v) || "false".equalsIgnoreCase(v)) {
      return Boolean.parseBoolean(v);
    }
    throw new ConfigException(
        String.format(Locale.ROOT, "%s: '%s' must be true or false, got '%s'", source, key, v));
  }

  public Set<String> keysSet() {
    return fileValues.keySet();
  }

  public static String envName(String key) {
    return "IVS_ANALYTICS_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** A configuration error: the job stops with exit code 2 and this message. */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
      super(message);
    }
  }
}
