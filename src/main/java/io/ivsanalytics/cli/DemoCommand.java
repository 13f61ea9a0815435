package io.ivsanalytics.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", mixinStandardHelpOptions = true, description = "(not yet available)")
public final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("ivs-analytics demo: not yet available");
    return Main.EXIT_FAILED;
  }
}
