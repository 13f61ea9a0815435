package io.ivsanalytics.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "run", mixinStandardHelpOptions = true, description = "(not yet available)")
public final class RunCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("ivs-analytics run: not yet available");
    return Main.EXIT_FAILED;
  }
}
