package io.ivsanalytics.config;

import picocli.CommandLine;

/**
 * The exit codes of every launcher ({@code ivs-analytics} and its benchmarks): 0 done; 1 the run
 * failed; 2 bad input or configuration, with a message that names the file, line or option and the
 * value.
 */
public final class ExitCodes {
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  /**
   * Runs {@code root}'s command line and returns its exit code. Usage errors picocli finds while
   * parsing (an unknown option, a missing option value, an option given twice), a {@link
   * UsageException} and a {@link Settings.ConfigException} are bad input, printed as {@code name:
   * message}; anything else failed.
   */
  public static int execute(Object root, String name, String... args) {
    CommandLine cli = new CommandLine(root);
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof UsageException || ex instanceof Settings.ConfigException) {
            commandLine.getErr().println(name + ": " + ex.getMessage());
            return USAGE;
          }
          throw ex;
        });
    cli.setExitCodeExceptionMapper(ExitCodes::of);
    return cli.execute(args);
  }

  /** The exit code of an exception that ended a command. */
  public static int of(Throwable ex) {
    return ex instanceof CommandLine.ParameterException ? USAGE : FAILED;
  }

  private ExitCodes() {}
}
