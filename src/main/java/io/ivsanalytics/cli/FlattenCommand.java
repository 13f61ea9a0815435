package io.ivsanalytics.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "flatten", mixinStandardHelpOptions = true, description = "(not yet available)")
public final class FlattenCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("ivs-analytics flatten: not yet available");
    return Main.EXIT_FAILED;
  }
}
