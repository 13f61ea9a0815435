package io.ivsanalytics.cli;

import io.ivsanalytics.config.Settings;
import io.ivsanalytics.config.UsageException;
import io.ivsanalytics.output.WeeklyEmail;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "email",
    mixinStandardHelpOptions = true,
    description = {
      "Sends the weekly email for a report folder: HTML summary plus every CSV attached.",
      "Without smtp.host (or with --eml) the message is written as an .eml file instead."
    })
public final class EmailCommand implements Callable<Integer> {
  @Option(
      names = "--reports",
      required = true,
      paramLabel = "DIR",
      description = "Report folder written by `report`.")
  Path reports;

  @Option(
      names = "--to",
      paramLabel = "ADDR",
      description = "Recipients, comma-separated (default: setting mail.to).")
  String to;

  @Option(
      names = "--eml",
      paramLabel = "FILE",
      description = "Write the message to FILE instead of sending it.")
  Path eml;

  @Mixin ConfOption conf = new ConfOption();

  @Override
  public Integer call() {
    if (!Files.isDirectory(reports)) {
      throw new UsageException("--reports " + reports + ": no such folder");
    }
    Settings settings = conf.settings();
    WeeklyEmail.Result r;
    try {
      r = WeeklyEmail.send(reports, settings, to, eml);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (r.sent()) {
      System.out.println("sent '" + r.subject() + "' to " + r.recipients());
    } else {
      System.out.println(
          "wrote " + r.eml() + " ('" + r.subject() + "'; smtp.host is not set or --eml was given)");
    }
    return 0;
  }
}
