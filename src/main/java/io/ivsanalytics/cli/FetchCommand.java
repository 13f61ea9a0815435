package io.ivsanalytics.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "fetch", mixinStandardHelpOptions = true, description = "(not yet available)")
public final class FetchCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("ivs-analytics fetch: not yet available");
    return Main.EXIT_FAILED;
  }
}
