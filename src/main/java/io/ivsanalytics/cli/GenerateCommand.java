package io.ivsanalytics.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "generate", mixinStandardHelpOptions = true, description = "(not yet available)")
public final class GenerateCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("ivs-analytics generate: not yet available");
    return Main.EXIT_FAILED;
  }
}
