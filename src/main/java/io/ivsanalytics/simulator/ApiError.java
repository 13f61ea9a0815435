package io.ivsanalytics.simulator;

/** An IVS API error answer: HTTP status, error type ({@code x-amzn-ErrorType}) and message. */
final class ApiError extends RuntimeException {
  final int status;
  final String type;

  ApiError(int status, String type, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
  }

  /** 429 ThrottlingException as IVS words it for the quota of one account, region and operation. */
  static ApiError throttling(String op, String account, String region) {
    return new ApiError(
        429,
        "ThrottlingException",
        "Request was denied due to request throttling ("
            + op
            + " quota for account "
            + account
            + " in "
            + region
            + ")");
  }
}
