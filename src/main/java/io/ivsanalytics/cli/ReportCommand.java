package io.ivsanalytics.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "report", mixinStandardHelpOptions = true, description = "(not yet available)")
public final class ReportCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("ivs-analytics report: not yet available");
    return Main.EXIT_FAILED;
  }
}
