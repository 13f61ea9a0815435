package io.ivsanalytics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ivs.model.IvsException;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParseException;

class RetryingCallerTest {
  final RateLimiterTest.FakeTime time = new RateLimiterTest.FakeTime();
  final RateLimiter limiter = new RateLimiter(5, time::nanos, time::sleep);

  RetryingCaller caller(int maxAttempts) {
    return new RetryingCaller(
        limiter,
        new Backoff(100, 1_000),
        maxAttempts,
        60_000,
        () -> time.now / RateLimiterTest.MS,
        time::sleep,
        () -> 0.5);
  }

  static IvsException aws(int status, String code) {
    return (IvsException)
        IvsException.builder()
            .statusCode(status)
            .message(code + " message")
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage("the " + code).build())
            .build();
  }

  /** An operation that throws the given failures in turn, then answers "ok". */
  static java.util.concurrent.Callable<String> failing(Exception... failures) {
    Deque<Exception> queue = new ArrayDeque<>(List.of(failures));
    return () -> {
      Exception e = queue.poll();
      if (e != null) {
        throw e;
      }
      return "ok";
    };
  }

  @Test
  void retriesServerErrorsTimeoutsResetsAndMalformedBodiesThenSucceeds()
      throws InterruptedException {
    RetryingCaller.Result<String> r =
        caller(8)
            .call(
                failing(
                    aws(500, "InternalServerException"),
                    ApiCallAttemptTimeoutException.create(1000),
                    SdkClientException.create(
                        "reset", new java.net.SocketException("Connection reset")),
                    new CallFailure.MalformedBodyException("response body is not JSON", null)));
    assertTrue(r.ok());
    assertEquals("ok", r.value());
    assertEquals(5, r.attempts());
    assertEquals(5, r.calls());
    assertEquals(4, r.retries());
    assertEquals(0, r.throttles());
  }

  @Test
  void throttlesSlowTheLimiterAndAreCounted() throws InterruptedException {
    RetryingCaller.Result<String> r =
        caller(8).call(failing(aws(429, "ThrottlingException"), aws(429, "ThrottlingException")));
    assertTrue(r.ok());
    assertEquals(2, r.throttles());
    assertEquals(3, r.attempts());
    assertTrue(
        limiter.ratePerSecond() < 5, "rate lowered after throttles: " + limiter.ratePerSecond());
  }

  @Test
  void clientErrorsAreNotRetried() throws InterruptedException {
    for (String[] c :
        new String[][] {
          {"404", "ResourceNotFoundException"},
          {"403", "AccessDeniedException"},
          {"400", "ValidationException"}
        }) {
      RetryingCaller.Result<String> r = caller(8).call(failing(aws(Integer.parseInt(c[0]), c[1])));
      assertFalse(r.ok());
      assertNull(r.value());
      assertEquals(1, r.attempts());
      assertEquals(c[1], r.failure().code());
      assertEquals(Integer.parseInt(c[0]), r.failure().httpStatus());
      assertEquals("the " + c[1], r.failure().message());
    }
  }

  @Test
  void givesUpAfterMaxAttemptsWithTheLastError() throws InterruptedException {
    Exception[] always = new Exception[10];
    for (int i = 0; i < always.length; i++) {
      always[i] = aws(429, "ThrottlingException");
    }
    RetryingCaller.Result<String> r = caller(3).call(failing(always));
    assertFalse(r.ok());
    assertEquals(3, r.attempts());
    assertEquals(3, r.throttles());
    assertEquals(CallFailure.THROTTLING, r.failure().code());
    assertEquals(429, r.failure().httpStatus());
  }

  @Test
  void stopsRetryingAtTheCallDeadline() throws InterruptedException {
    RetryingCaller c =
        new RetryingCaller(
            limiter,
            new Backoff(10_000, 10_000),
            100,
            15_000,
            () -> time.now / RateLimiterTest.MS,
            time::sleep,
            () -> 1.0);
    Exception[] always = new Exception[100];
    for (int i = 0; i < always.length; i++) {
      always[i] = aws(503, "ServiceUnavailable");
    }
    RetryingCaller.Result<String> r = c.call(failing(always));
    assertFalse(r.ok());
    assertEquals(3, r.attempts(), "10 s backoffs: attempts at 0, 10, 20 s; the deadline is 15 s");
  }

  @Test
  void classifiesTransportFailures() {
    assertEquals(
        CallFailure.TIMEOUT,
        CallFailure.classify(
                SdkClientException.create("x", new SocketTimeoutException("Read timed out")))
            .code());
    assertEquals(
        CallFailure.CONNECTION,
        CallFailure.classify(SdkClientException.create("x", new IOException("Connection reset")))
            .code());
    assertEquals(
        CallFailure.CONNECTION,
        CallFailure.classify(
                SdkClientException.create(
                    "Unable to execute HTTP request: Connection refused",
                    new IOException(
                        "Connect to 127.0.0.1:1 failed",
                        new ConnectException("Connection refused"))))
            .code());
    // A truncated body, as the SDK reports it: its shaded Jackson's parse error inside an
    // UncheckedIOException.
    JsonParseException eof =
        new JsonParseException(null, "Unexpected end-of-input in VALUE_STRING");
    CallFailure malformed =
        CallFailure.classify(
            SdkClientException.create(
                "Unable to unmarshall response ("
                    + eof.getMessage()
                    + "). Response Code: 200, Response Text: OK",
                new UncheckedIOException(eof)));
    assertEquals(CallFailure.MALFORMED, malformed.code());
    assertTrue(malformed.retryable());
    // Types decide, not words: a client failure without a parse error or I/O cause is not retried.
    CallFailure other =
        CallFailure.classify(SdkClientException.create("Unable to parse json: unmarshall", null));
    assertEquals("ClientError", other.code());
    assertFalse(other.retryable());
    CallFailure e500 = CallFailure.classify(aws(500, "InternalServerException"));
    assertTrue(e500.retryable());
    assertEquals(500, e500.httpStatus());
  }
}
