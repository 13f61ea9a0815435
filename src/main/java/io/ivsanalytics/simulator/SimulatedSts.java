package io.ivsanalytics.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who is calling, and AWS STS {@code AssumeRole} / {@code GetCallerIdentity} over the query
 * protocol (form body, XML answers), as the simulator serves them on its IVS port.
 *
 * <p>The caller of a request is found from its SigV4 access key id: a temporary key ({@code ASIA…})
 * must be one this simulator issued, signed with its session token ({@code X-Amz-Security-Token})
 * and not expired, and belongs to the account of the role it was issued for; any other key belongs
 * to the account in {@link SimulatorKnobs#accessKeyAccounts()}, else to the first 12-digit number
 * inside the key id, else to the first configured account.
 */
final class SimulatedSts {
  static final String XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";
  private static final Pattern CREDENTIAL =
      Pattern.compile("Credential=([^/,\\s]+)/[^/]+/([^/]+)/([^/]+)/aws4_request");
  private static final Pattern TWELVE_DIGITS = Pattern.compile("(?<!\\d)\\d{12}(?!\\d)");
  private static final Pattern ANY_TWELVE_DIGITS = Pattern.compile("\\d{12}");
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws:iam::(\\d{12}):role/((?:[\\w+=,.@-]+/)*)([\\w+=,.@-]{1,64})");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
  private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final char[] B64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

  /** Temporary credentials this simulator issued. */
  record Issued(
      String accessKeyId,
      String secretAccessKey,
      String sessionToken,
      String account,
      String principalArn,
      Instant expiration) {}

  /** The resolved caller of one request: its account, its principal ARN, the signed region. */
  record Caller(String account, String principalArn, String region) {}

  /** An STS or authentication error: HTTP status, AWS error code, message. */
  static final class AuthError extends RuntimeException {
    final int status;
    final String code;

    AuthError(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  private final SimulatorConfig config;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Issued> issued = new ConcurrentHashMap<>();

  SimulatedSts(SimulatorConfig config) {
    this.config = config;
  }

  /** Every session token issued so far (for tests that check no token is ever written). */
  Set<String> issuedSessionTokens() {
    Set<String> tokens = ConcurrentHashMap.newKeySet();
    issued.values().forEach(i -> tokens.add(i.sessionToken()));
    return tokens;
  }

  /** Every secret access key issued so far. */
  Set<String> issuedSecretKeys() {
    Set<String> secrets = ConcurrentHashMap.newKeySet();
    issued.values().forEach(i -> secrets.add(i.secretAccessKey()));
    return secrets;
  }

  /** Number of credentials issued by AssumeRole. */
  int issuedCount() {
    return issued.size();
  }

  /**
   * The caller of a signed request. Unsigned requests are refused with 403
   * MissingAuthenticationTokenException; temporary keys without their valid, unexpired session
   * token with 403 UnrecognizedClientException or ExpiredTokenException, as AWS does.
   */
  Caller caller(String authorization, String securityToken, Instant now) {
    Matcher m = authorization == null ? null : CREDENTIAL.matcher(authorization);
    if (m == null || !m.find()) {
      throw new AuthError(
          403, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    String keyId = m.group(1);
    String region = m.group(2);
    if (keyId.startsWith("ASIA")) {
      Issued i = issued.get(keyId);
      if (i == null || securityToken == null || !securityToken.equals(i.sessionToken())) {
        throw new AuthError(
            403,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.");
      }
      if (!now.isBefore(i.expiration())) {
        throw new AuthError(
            403, "ExpiredTokenException", "The security token included in the request is expired");
      }
      return new Caller(i.account(), i.principalArn(), region);
    }
    String account = config.knobs().accessKeyAccounts().get(keyId);
    if (account == null) {
      Matcher d = TWELVE_DIGITS.matcher(keyId);
      if (d.find()) {
        account = d.group();
      } else {
        Matcher any = ANY_TWELVE_DIGITS.matcher(keyId);
        account = any.find() ? any.group() : config.fleet().accounts().get(0);
      }
    }
    return new Caller(account, "arn:aws:iam::" + account + ":user/simulated-user", region);
  }

  /** True when the body is an STS query-protocol request ({@code Action=…} form). */
  static boolean isStsRequest(String method, String path, String contentType) {
    return "POST".equals(method)
        && "/".equals(path)
        && contentType != null
        && contentType
            .toLowerCase(java.util.Locale.ROOT)
            .startsWith("application/x-www-form-urlencoded");
  }

  /** The action named in the form, for counting. */
  static String action(Map<String, String> form) {
    String a = form.get("Action");
    return a == null ? "Unknown" : a;
  }

  static Map<String, String> form(byte[] body) {
    Map<String, String> form = new LinkedHashMap<>();
    String s = new String(body, StandardCharsets.UTF_8);
    for (String pair : s.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.put(k, v);
    }
    return form;
  }

  /** Answers one STS request: the XML body of a 200, or throws {@link AuthError}. */
  String handle(Map<String, String> form, Caller caller, String requestId, Instant now) {
    String action = form.get("Action");
    if (action == null) {
      throw new AuthError(400, "MissingAction", "Missing Action");
    }
    String version = form.get("Version");
    if (version != null && !version.equals("2011-06-15")) {
      throw new AuthError(
          400, "InvalidAction", "Could not find operation " + action + " for version " + version);
    }
    return switch (action) {
      case "AssumeRole" -> assumeRole(form, caller, requestId, now);
      case "GetCallerIdentity" -> getCallerIdentity(caller, requestId);
      default ->
          throw new AuthError(
              400,
              "InvalidAction",
              "Could not find operation " + action + " for version 2011-06-15");
    };
  }

  private String assumeRole(
      Map<String, String> form, Caller caller, String requestId, Instant now) {
    String roleArn = form.get("RoleArn");
    String sessionName = form.get("RoleSessionName");
    if (roleArn == null || sessionName == null) {
      throw new AuthError(
          400,
          "ValidationError",
          "1 validation error detected: Value null at '"
              + (roleArn == null ? "roleArn" : "roleSessionName")
              + "' failed to satisfy constraint: Member must not be null");
    }
    if (!SESSION_NAME.matcher(sessionName).matches()) {
      throw new AuthError(
          400,
          "ValidationError",
          "1 validation error detected: Value '"
              + sessionName
              + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular"
              + " expression pattern: [\\w+=,.@-]*");
    }
    Matcher role = ROLE_ARN.matcher(roleArn);
    if (roleArn.length() < 20 || roleArn.length() > 2048 || !role.matches()) {
      throw new AuthError(400, "ValidationError", roleArn + " is invalid");
    }
    long duration = 3600;
    String d = form.get("DurationSeconds");
    if (d != null) {
      try {
        duration = Long.parseLong(d);
      } catch (NumberFormatException e) {
        duration = -1;
      }
      if (duration < 900 || duration > 43200) {
        throw new AuthError(
            400,
            "ValidationError",
            "1 validation error detected: Value '"
                + d
                + "' at 'durationSeconds' failed to satisfy constraint: Member must have value"
                + " between 900 and 43200");
      }
    }
    String externalId = form.get("ExternalId");
    if (externalId != null && !EXTERNAL_ID.matcher(externalId).matches()) {
      throw new AuthError(
          400,
          "ValidationError",
          "1 validation error detected: Value '"
              + externalId
              + "' at 'externalId' failed to satisfy constraint: Member must satisfy regular"
              + " expression pattern: [\\w+=,.@:\\/-]*");
    }
    String account = role.group(1);
    String roleName = role.group(3);
    String required = config.knobs().roleExternalId();
    boolean denied =
        !config.fleet().accounts().contains(account)
            || config.knobs().deniedRoles().contains(roleArn)
            || config.knobs().deniedRoles().contains(account)
            || (required != null && !required.equals(externalId));
    if (denied) {
      throw new AuthError(
          403,
          "AccessDenied",
          "User: "
              + caller.principalArn()
              + " is not authorized to perform: sts:AssumeRole on resource: "
              + roleArn);
    }
    long lifetime =
        config.knobs().stsDurationSeconds() > 0
            ? Math.min(duration, config.knobs().stsDurationSeconds())
            : duration;
    Instant expiration = now.plusSeconds(lifetime).truncatedTo(ChronoUnit.SECONDS);
    String keyId = "ASIA" + account + randomChars(ALNUM, 4);
    String secret = randomChars(B64, 40);
    String token = "IQoJb3JpZ2luX2VjE" + randomChars(B64, 280);
    String roleId = "AROA" + account.substring(0, 4) + randomChars(ALNUM, 13);
    String assumedArn = "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + sessionName;
    issued.put(keyId, new Issued(keyId, secret, token, account, assumedArn, expiration));
    StringBuilder x = new StringBuilder(1024);
    x.append("<AssumeRoleResponse xmlns=\"").append(XMLNS).append("\">\n");
    x.append("  <AssumeRoleResult>\n");
    x.append("    <Credentials>\n");
    x.append("      <AccessKeyId>").append(keyId).append("</AccessKeyId>\n");
    x.append("      <SecretAccessKey>").append(xml(secret)).append("</SecretAccessKey>\n");
    x.append("      <SessionToken>").append(xml(token)).append("</SessionToken>\n");
    x.append("      <Expiration>").append(expiration).append("</Expiration>\n");
    x.append("    </Credentials>\n");
    x.append("    <AssumedRoleUser>\n");
    x.append("      <AssumedRoleId>")
        .append(roleId)
        .append(':')
        .append(xml(sessionName))
        .append("</AssumedRoleId>\n");
    x.append("      <Arn>").append(xml(assumedArn)).append("</Arn>\n");
    x.append("    </AssumedRoleUser>\n");
    x.append("  </AssumeRoleResult>\n");
    x.append("  <ResponseMetadata>\n");
    x.append("    <RequestId>").append(requestId).append("</RequestId>\n");
    x.append("  </ResponseMetadata>\n");
    x.append("</AssumeRoleResponse>\n");
    return x.toString();
  }

  private static String getCallerIdentity(Caller caller, String requestId) {
    return "<GetCallerIdentityResponse xmlns=\""
        + XMLNS
        + "\">\n"
        + "  <GetCallerIdentityResult>\n"
        + "    <Arn>"
        + xml(caller.principalArn())
        + "</Arn>\n"
        + "    <UserId>AIDA"
        + caller.account()
        + "SIMULATED</UserId>\n"
        + "    <Account>"
        + caller.account()
        + "</Account>\n"
        + "  </GetCallerIdentityResult>\n"
        + "  <ResponseMetadata>\n"
        + "    <RequestId>"
        + requestId
        + "</RequestId>\n"
        + "  </ResponseMetadata>\n"
        + "</GetCallerIdentityResponse>\n";
  }

  /** An STS error document. */
  static String errorXml(AuthError e, String requestId) {
    return "<ErrorResponse xmlns=\""
        + XMLNS
        + "\">\n"
        + "  <Error>\n"
        + "    <Type>"
        + (e.status >= 500 ? "Receiver" : "Sender")
        + "</Type>\n"
        + "    <Code>"
        + xml(e.code)
        + "</Code>\n"
        + "    <Message>"
        + xml(e.getMessage())
        + "</Message>\n"
        + "  </Error>\n"
        + "  <RequestId>"
        + requestId
        + "</RequestId>\n"
        + "</ErrorResponse>\n";
  }

  private String randomChars(char[] alphabet, int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) {
      c[i] = alphabet[random.nextInt(alphabet.length)];
    }
    return new String(c);
  }

  static String xml(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&apos;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  static List<String> actions() {
    return List.of("AssumeRole", "GetCallerIdentity");
  }
}
