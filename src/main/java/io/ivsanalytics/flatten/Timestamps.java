package io.ivsanalytics.flatten;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivsanalytics.flatten.SessionParser.MalformedException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;

/** Timestamps in responses: the forms IVS, the AWS CLI and analysts' files write them in. */
final class Timestamps {
  /** ISO-8601 with offset or Z (any fraction), a local date-time taken as UTC, or epoch seconds. */
  static Instant time(JsonNode n, String path, String arn, String streamId)
      throws MalformedException {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isNumber()) {
      return Instant.ofEpochMilli(Math.round(n.asDouble() * 1000.0));
    }
    if (n.isTextual()) {
      String t = n.textValue();
      if (t.isBlank()) {
        return null;
      }
      Instant fast = fastIso(t);
      if (fast != null) {
        return fast;
      }
      try {
        TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(t.strip());
        return parsed.isSupported(ChronoField.OFFSET_SECONDS)
            ? OffsetDateTime.from(parsed).toInstant()
            : LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC);
      } catch (DateTimeException e) {
        // reported below
      }
    }
    throw new MalformedException(
        String.format(
            Locale.ROOT, "'%s' is not an ISO-8601 time: %s", path, JsonFields.abbreviate(n)),
        arn,
        streamId);
  }

  /** {@link #time} for a field that is not part of the key: a bad value is reported and null. */
  static Instant lenientTime(
      JsonNode n, String path, String where, List<ParsedRecord.OddField> odd) {
    try {
      return time(n, path, null, null);
    } catch (MalformedException e) {
      odd.add(JsonFields.oddField(path, "is not an ISO-8601 time: set to null", n, where));
      return null;
    }
  }

  /**
   * The shapes IVS and the AWS CLI print ({@code 2024-05-01T10:00:00Z}, {@code
   * 2024-05-01T10:00:00.123Z}, {@code 2024-05-01T10:00:00+00:00}), parsed without a formatter
   * (formatters dominate the parse time at 20 timestamps per session); null for anything else,
   * which then goes through {@link DateTimeFormatter#ISO_DATE_TIME}.
   */
  static Instant fastIso(String t) {
    int n = t.length();
    if (n < 20
        || t.charAt(4) != '-'
        || t.charAt(7) != '-'
        || t.charAt(10) != 'T'
        || t.charAt(13) != ':'
        || t.charAt(16) != ':') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > 31
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return null;
    }
    int i = 19;
    int millis = 0;
    if (i < n && t.charAt(i) == '.') {
      int start = ++i;
      while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        i++;
      }
      if (i == start) {
        return null;
      }
      for (int k = 0; k < 3; k++) {
        millis = millis * 10 + (start + k < i ? t.charAt(start + k) - '0' : 0);
      }
    }
    int offsetSeconds;
    if (i == n - 1 && (t.charAt(i) == 'Z' || t.charAt(i) == 'z')) {
      offsetSeconds = 0;
    } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
      int oh = digits(t, i + 1, 2);
      int om = digits(t, i + 4, 2);
      if (oh < 0 || om < 0 || oh > 18 || om > 59) {
        return null;
      }
      offsetSeconds = (t.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return null;
    }
    if (day > 28 && day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return null;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    long seconds = epochDay * 86400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    return Instant.ofEpochSecond(seconds, millis * 1_000_000L);
  }

  private static int digits(String t, int from, int count) {
    int v = 0;
    for (int k = from; k < from + count; k++) {
      char ch = t.charAt(k);
      if (ch < '0' || ch > '9') {
        return -1;
      }
      v = v * 10 + (ch - '0');
    }
    return v;
  }

  /** Millisecond precision, as the lake stores it, so re-runs compare equal to what was written. */
  static Timestamp ts(Instant i) {
    return i == null ? null : new Timestamp(i.toEpochMilli());
  }

  private Timestamps() {}
}
