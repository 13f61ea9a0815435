package io.ivsanalytics.ingest;

import io.ivsanalytics.config.Settings;
import io.ivsanalytics.config.Settings.ConfigException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which IAM role the job assumes in each AWS account (STS AssumeRole), from the settings {@code
 * aws.role.arn} (a template in which {@code {account}} becomes the 12-digit account id), {@code
 * aws.role.map} (a CSV file {@code account_id,role_arn} whose rows override the template), {@code
 * aws.role.external.id}, {@code aws.role.session.name} and {@code aws.role.refresh.seconds}; and
 * where STS is ({@code sts.endpoint}, else the IVS endpoint override, else the regional STS
 * endpoint of each call's region). An account with no role is called with the base credentials (the
 * default chain). Serializable: executors build their credentials from it; it holds no secret.
 */
public record AccountRoles(
    String template,
    TreeMap<String, String> byAccount,
    String externalId,
    String sessionName,
    int refreshSeconds,
    String stsEndpoint)
    implements Serializable {
  public static final String DEFAULT_SESSION_NAME = "ivs-session-analytics";
  static final String KEY_TEMPLATE = "aws.role.arn";
  static final String KEY_MAP = "aws.role.map";
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws(-[a-z]+)*:iam::(\\d{12}):role/[\\w+=,.@/-]{1,512}");
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");

  /** No role: every account is called with the base credentials. */
  public static final AccountRoles NONE =
      new AccountRoles(null, new TreeMap<>(), null, DEFAULT_SESSION_NAME, 300, null);

  public AccountRoles {
    byAccount = new TreeMap<>(byAccount == null ? Map.of() : byAccount);
    if (template != null) {
      if (!template.contains("{account}")) {
        throw new ConfigException(
            String.format(
                Locale.ROOT,
                "%s must contain {account} (e.g. arn:aws:iam::{account}:role/IvsAnalyticsRead), got"
                    + " '%s'",
                KEY_TEMPLATE,
                template));
      }
      String sample = template.replace("{account}", "123456789012");
      if (!ROLE_ARN.matcher(sample).matches()) {
        throw new ConfigException(
            String.format(
                Locale.ROOT,
                "%s is not an IAM role ARN template (arn:aws:iam::{account}:role/NAME), got '%s'",
                KEY_TEMPLATE,
                template));
      }
    }
    if (sessionName == null || !SESSION_NAME.matcher(sessionName).matches()) {
      throw new ConfigException(
          String.format(
              Locale.ROOT,
              "aws.role.session.name must be 2-64 characters of letters, digits and +=,.@_-, got"
                  + " '%s'",
              sessionName));
    }
    if (externalId != null && !EXTERNAL_ID.matcher(externalId).matches()) {
      // the value is not echoed: an external id is treated like a shared secret
      throw new ConfigException(
          "aws.role.external.id must be 2-1224 characters of letters, digits and +=,.@:/_-");
    }
    if (refreshSeconds < 1) {
      throw new ConfigException("aws.role.refresh.seconds must be >= 1, got " + refreshSeconds);
    }
  }

  /** The roles from the settings ({@code override*} are command-line values or null). */
  public static AccountRoles from(Settings s, String overrideTemplate, String overrideStsEndpoint) {
    String template = blankToNull(s.get(KEY_TEMPLATE, overrideTemplate));
    String map = blankToNull(s.get(KEY_MAP));
    String sessionName = s.get("aws.role.session.name");
    return new AccountRoles(
        template,
        map == null ? new TreeMap<>() : readMap(Path.of(map)),
        blankToNull(s.get("aws.role.external.id")),
        sessionName == null ? DEFAULT_SESSION_NAME : sessionName,
        s.getInt("aws.role.refresh.seconds"),
        blankToNull(s.get("sts.endpoint", overrideStsEndpoint)));
  }

  /** The role to assume for {@code account}, or null: call it with the base credentials. */
  public String roleFor(String account) {
    String mapped = byAccount.get(account);
    if (mapped != null) {
      return mapped;
    }
    return template == null ? null : template.replace("{account}", account);
  }

  public boolean any() {
    return template != null || !byAccount.isEmpty();
  }

  public AccountRoles withTemplate(String value) {
    return new AccountRoles(value, byAccount, externalId, sessionName, refreshSeconds, stsEndpoint);
  }

  public AccountRoles withStsEndpoint(String value) {
    return new AccountRoles(template, byAccount, externalId, sessionName, refreshSeconds, value);
  }

  public AccountRoles withRefreshSeconds(int value) {
    return new AccountRoles(template, byAccount, externalId, sessionName, value, stsEndpoint);
  }

  public AccountRoles withExternalId(String value) {
    return new AccountRoles(template, byAccount, value, sessionName, refreshSeconds, stsEndpoint);
  }

  public AccountRoles withRole(String account, String roleArn) {
    TreeMap<String, String> m = new TreeMap<>(byAccount);
    m.put(account, roleArn);
    return new AccountRoles(template, m, externalId, sessionName, refreshSeconds, stsEndpoint);
  }

  /**
   * {@code account_id,role_arn} rows (header optional; blank lines and {@code #} comments skipped);
   * every error names the file, the line and the value.
   */
  static TreeMap<String, String> readMap(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(KEY_MAP + ": file not found: " + file);
    } catch (IOException e) {
      throw new ConfigException(KEY_MAP + ": cannot read " + file + ": " + e.getMessage());
    }
    TreeMap<String, String> roles = new TreeMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1).strip();
      }
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.replace(" ", "").equalsIgnoreCase("account_id,role_arn")) {
        continue;
      }
      String[] cells = line.split(",", -1);
      String where = String.format(Locale.ROOT, "%s line %d", file, i + 1);
      if (cells.length != 2) {
        throw new ConfigException(where + ": expected 'account_id,role_arn', got '" + line + "'");
      }
      String account = cells[0].strip();
      String arn = cells[1].strip();
      if (!ACCOUNT.matcher(account).matches()) {
        throw new ConfigException(where + ": account id must be 12 digits, got '" + account + "'");
      }
      Matcher m = ROLE_ARN.matcher(arn);
      if (!m.matches()) {
        throw new ConfigException(
            where + ": not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME): '" + arn + "'");
      }
      if (!m.group(2).equals(account)) {
        throw new ConfigException(
            where
                + ": role "
                + arn
                + " is in account "
                + m.group(2)
                + ", not in "
                + account
                + " (a role gives access to the account it belongs to)");
      }
      String previous = roles.put(account, arn);
      if (previous != null && !previous.equals(arn)) {
        throw new ConfigException(
            where + ": account " + account + " is listed twice with different roles");
      }
    }
    return roles;
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }
}
