package io.ivsanalytics.model;

import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An IVS resource ARN, {@code arn:<partition>:ivs:<region>:<account>:<resource-type>/<id>}. */
public record IvsArn(
    String partition, String region, String accountId, String resourceType, String resourceId)
    implements Serializable {

  private static final Pattern ARN =
      Pattern.compile(
          "^arn:(aws|aws-cn|aws-us-gov):ivs:([a-z]{2}(?:-[a-z]+)+-\\d):(\\d{12}):([a-z-]+)/([A-Za-z0-9]+)$");

  /** Parses an ARN or throws {@link IllegalArgumentException} that quotes the value. */
  public static IvsArn parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException("missing ARN");
    }
    Matcher m = ARN.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "not an IVS ARN (arn:aws:ivs:<region>:<12-digit account>:<type>/<id>): '%s'",
              value));
    }
    return new IvsArn(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5));
  }

  /** Parses a channel ARN; anything else (a stream key, a malformed string) is rejected. */
  public static IvsArn parseChannel(String value) {
    IvsArn arn = parse(value);
    if (!arn.resourceType().equals("channel")) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "not a channel ARN (resource type '%s'): '%s'",
              arn.resourceType(),
              value));
    }
    return arn;
  }

  /** Parses without throwing: null when the value is not an IVS ARN. */
  public static IvsArn tryParse(String value) {
    if (value == null) {
      return null;
    }
    Matcher m = ARN.matcher(value);
    return m.matches()
        ? new IvsArn(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5))
        : null;
  }

  /** The quota key: IVS quotas are per account per region. */
  public String accountRegion() {
    return accountId + "/" + region;
  }

  public String format() {
    return "arn:"
        + partition
        + ":ivs:"
        + region
        + ":"
        + accountId
        + ":"
        + resourceType
        + "/"
        + resourceId;
  }

  @Override
  public String toString() {
    return format();
  }
}
