package io.ivsanalytics.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "email", mixinStandardHelpOptions = true, description = "(not yet available)")
public final class EmailCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("ivs-analytics email: not yet available");
    return Main.EXIT_FAILED;
  }
}
