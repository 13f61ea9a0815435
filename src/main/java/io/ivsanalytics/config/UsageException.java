package io.ivsanalytics.config;

/**
 * Bad input (ids file, dates, paths, options): the launcher exits with code 2 and prints the
 * message, which names the file, line and value.
 */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
