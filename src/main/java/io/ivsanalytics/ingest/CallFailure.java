package io.ivsanalytics.ingest;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Serializable;
import java.nio.channels.ClosedByInterruptException;
import java.time.format.DateTimeParseException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Why one API call failed, as a fetch_errors row names it: the AWS error code (or Timeout,
 * MalformedResponse, ConnectionError), the HTTP status when a response arrived, a message without
 * header values or credentials, and whether another attempt may succeed.
 */
public record CallFailure(
    String code, Integer httpStatus, String message, boolean retryable, boolean throttle)
    implements Serializable {
  public static final String TIMEOUT = "Timeout";
  public static final String MALFORMED = "MalformedResponse";
  public static final String CONNECTION = "ConnectionError";
  public static final String THROTTLING = "ThrottlingException";
  private static final int MAX_MESSAGE = 500;

  /** A response whose body could not be used (not JSON, missing fields). */
  public static final class MalformedBodyException extends RuntimeException {
    public MalformedBodyException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static CallFailure classify(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof RoleCredentials.RoleUnavailableException r) {
        return new CallFailure(r.code, r.httpStatus, clean(r.getMessage()), r.retryable, false);
      }
    }
    if (t instanceof AwsServiceException e) {
      int status = e.statusCode();
      String code = e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : null;
      String msg = e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : null;
      boolean throttle = status == 429 || THROTTLING.equals(code) || e.isThrottlingException();
      if (code == null || code.isBlank()) {
        code = status >= 500 ? "InternalServerException" : "HttpError" + status;
      }
      return new CallFailure(
          throttle ? THROTTLING : code,
          status > 0 ? status : null,
          clean(msg != null ? msg : e.getMessage()),
          throttle || status >= 500,
          throttle);
    }
    if (t instanceof MalformedBodyException) {
      return new CallFailure(MALFORMED, 200, clean(t.getMessage()), true, false);
    }
    if (t instanceof ApiCallAttemptTimeoutException || t instanceof ApiCallTimeoutException) {
      return new CallFailure(TIMEOUT, null, clean(t.getMessage()), true, false);
    }
    if (t instanceof SdkClientException) {
      for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
        if (unparsable(c)) {
          return new CallFailure(MALFORMED, null, clean(t.getMessage()), true, false);
        }
        if (c instanceof InterruptedIOException && !(c instanceof ClosedByInterruptException)) {
          return new CallFailure(TIMEOUT, null, clean(c.toString()), true, false);
        }
        if (c instanceof IOException) {
          return new CallFailure(CONNECTION, null, clean(c.toString()), true, false);
        }
      }
      return new CallFailure("ClientError", null, clean(t.getMessage()), false, false);
    }
    return new CallFailure(t.getClass().getSimpleName(), null, clean(t.getMessage()), false, false);
  }

  /**
   * A response body the SDK could not read: its JSON parser (the SDK's own shaded Jackson) failed
   * (the SDK wraps that in "Unable to unmarshall response"), or a value in it did not parse.
   */
  private static boolean unparsable(Throwable c) {
    return c instanceof software.amazon.awssdk.thirdparty.jackson.core.JsonProcessingException
        || c instanceof com.fasterxml.jackson.core.JsonProcessingException
        || c instanceof DateTimeParseException
        || c instanceof NumberFormatException;
  }

  /** One line, bounded length; SDK messages carry no header values or credentials. */
  static String clean(String s) {
    if (s == null) {
      return null;
    }
    String one = s.replaceAll("[\\r\\n\\t]+", " ").strip();
    return one.length() > MAX_MESSAGE ? one.substring(0, MAX_MESSAGE) + "..." : one;
  }
}
