package io.ivsanalytics.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;

class BodyCaptureTest {

  @Test
  void keepsTheBodyAndHandsTheSdkAFreshStream() throws IOException {
    byte[] body = "{\"streamSession\":{}}".getBytes(StandardCharsets.UTF_8);
    IvsClients.clearBody();
    Optional<InputStream> out =
        new IvsClients.BodyCapture()
            .modifyHttpResponseContent(
                context(new ByteArrayInputStream(body)), new ExecutionAttributes());
    assertArrayEquals(body, out.orElseThrow().readAllBytes());
    assertArrayEquals(body, IvsClients.takeBody());
  }

  @Test
  void aResetWhileTheBodyStreamsInIsARetryableConnectionError() {
    SdkClientException e =
        assertThrows(
            SdkClientException.class,
            () ->
                new IvsClients.BodyCapture()
                    .modifyHttpResponseContent(
                        context(failing(new SocketException("Connection reset"))),
                        new ExecutionAttributes()));
    CallFailure f = CallFailure.classify(e);
    assertEquals(CallFailure.CONNECTION, f.code());
    assertTrue(f.retryable());
  }

  @Test
  void aTimeoutWhileTheBodyStreamsInIsARetryableTimeout() {
    SdkClientException e =
        assertThrows(
            SdkClientException.class,
            () ->
                new IvsClients.BodyCapture()
                    .modifyHttpResponseContent(
                        context(failing(new SocketTimeoutException("Read timed out"))),
                        new ExecutionAttributes()));
    CallFailure f = CallFailure.classify(e);
    assertEquals(CallFailure.TIMEOUT, f.code());
    assertTrue(f.retryable());
  }

  private static InputStream failing(IOException failure) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        throw failure;
      }
    };
  }

  private static Context.ModifyHttpResponse context(InputStream body) {
    return (Context.ModifyHttpResponse)
        Proxy.newProxyInstance(
            BodyCaptureTest.class.getClassLoader(),
            new Class<?>[] {Context.ModifyHttpResponse.class},
            (proxy, method, args) ->
                method.getName().equals("responseBody") ? Optional.of(body) : null);
  }
}
