package io.ivsanalytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.bench.BenchMain;
import io.ivsanalytics.cli.Main;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Each shared option is declared once, in a picocli mixin: walks the command trees of {@link Main}
 * and {@link BenchMain} and checks that a mixin's options look the same (names, label, arity,
 * description, default) in every command that uses it, that the commands which share an option take
 * it from the mixin, and that {@code --help} of each command lists every option.
 */
class OptionDeclarationsTest {

  /** Every command of both entry points, by its qualified name ("ivs-analytics fetch"). */
  private static Map<String, CommandLine> commands() {
    Map<String, CommandLine> all = new LinkedHashMap<>();
    collect(new CommandLine(new Main()), all);
    collect(new CommandLine(new BenchMain()), all);
    return all;
  }

  private static void collect(CommandLine cli, Map<String, CommandLine> all) {
    all.put(cli.getCommandSpec().qualifiedName(), cli);
    cli.getSubcommands().values().forEach(c -> collect(c, all));
  }

  /** The mixins of a command, nested ones included, by mixin class name. */
  private static Map<String, CommandSpec> mixins(CommandSpec spec) {
    Map<String, CommandSpec> found = new TreeMap<>();
    for (CommandSpec m : spec.mixins().values()) {
      Object user = m.userObject();
      if (user != null && user.getClass().getName().startsWith("io.ivsanalytics.")) {
        found.put(user.getClass().getName(), m);
      }
      found.putAll(mixins(m));
    }
    return found;
  }

  private static String signature(OptionSpec o) {
    return String.join(
        " | ",
        List.of(
            String.join(",", o.names()),
            o.paramLabel(),
            o.arity().toString(),
            String.valueOf(o.splitRegex()),
            String.join(" ", o.description()),
            String.valueOf(o.initialValue()),
            String.valueOf(o.required())));
  }

  private static Map<String, String> signatures(CommandSpec mixin) {
    Map<String, String> s = new TreeMap<>();
    mixin.options().forEach(o -> s.put(o.longestName(), signature(o)));
    return s;
  }

  @Test
  void aMixinsOptionsAreTheSameInEveryCommandThatUsesIt() {
    Map<String, Map<String, String>> first = new TreeMap<>();
    Map<String, List<String>> users = new TreeMap<>();
    commands()
        .forEach(
            (name, cli) ->
                mixins(cli.getCommandSpec())
                    .forEach(
                        (mixin, spec) -> {
                          Map<String, String> sig = signatures(spec);
                          assertFalse(sig.isEmpty(), mixin + " in " + name + " declares no option");
                          Map<String, String> seen = first.putIfAbsent(mixin, sig);
                          if (seen != null) {
                            assertEquals(seen, sig, mixin + " differs in " + name);
                          }
                          users.computeIfAbsent(mixin, k -> new ArrayList<>()).add(name);
                        }));
    Map<String, Set<String>> expected =
        Map.of(
            "io.ivsanalytics.simulator.FleetOptions",
            Set.of(
                "ivs-analytics simulate", "ivs-analytics demo", "ivs-analytics-bench bench-fetch"),
            "io.ivsanalytics.simulator.HistoryOptions",
            Set.of(
                "ivs-analytics simulate",
                "ivs-analytics demo",
                "ivs-analytics-bench bench-fetch",
                "ivs-analytics generate"),
            "io.ivsanalytics.simulator.SimulatorOptions",
            Set.of(
                "ivs-analytics simulate", "ivs-analytics demo", "ivs-analytics-bench bench-fetch"),
            "io.ivsanalytics.cli.FetchCliOptions",
            Set.of("ivs-analytics fetch", "ivs-analytics run"),
            "io.ivsanalytics.cli.WindowOptions",
            Set.of(
                "ivs-analytics fetch",
                "ivs-analytics run",
                "ivs-analytics flatten",
                "ivs-analytics report"),
            "io.ivsanalytics.cli.LakeOption",
            Set.of(
                "ivs-analytics fetch",
                "ivs-analytics run",
                "ivs-analytics flatten",
                "ivs-analytics report"),
            "io.ivsanalytics.cli.ConfOption",
            Set.of(
                "ivs-analytics fetch",
                "ivs-analytics run",
                "ivs-analytics flatten",
                "ivs-analytics report",
                "ivs-analytics email"));
    expected.forEach(
        (mixin, names) ->
            assertEquals(
                new TreeSet<>(names),
                new TreeSet<>(users.getOrDefault(mixin, List.of())),
                mixin + " users"));
  }

  /** Options that share a name with a mixin's option but mean something else. */
  private static final Set<String> OTHER_MEANING =
      Set.of(
          "ivs-analytics demo --lake", // the demo's own folder, replaced on each run
          "ivs-analytics email --to"); // recipients, not a date

  @Test
  void commandsThatShareAnOptionTakeItFromItsMixin() {
    Map<String, CommandLine> all = commands();
    // The option names some mixin declares.
    Set<String> shared = new TreeSet<>();
    all.values()
        .forEach(
            cli ->
                mixins(cli.getCommandSpec())
                    .values()
                    .forEach(spec -> spec.options().forEach(o -> shared.add(o.longestName()))));
    all.forEach(
        (name, cli) -> {
          Map<OptionSpec, Boolean> fromMixin = new IdentityHashMap<>();
          mixins(cli.getCommandSpec())
              .values()
              .forEach(spec -> spec.options().forEach(o -> fromMixin.put(o, true)));
          for (OptionSpec o : cli.getCommandSpec().options()) {
            if (shared.contains(o.longestName())
                && !OTHER_MEANING.contains(name + " " + o.longestName())) {
              assertTrue(
                  fromMixin.containsKey(o),
                  name + " declares " + o.longestName() + " itself instead of in a mixin");
            }
          }
        });
  }

  @Test
  void helpOfEveryCommandListsEveryOption() {
    commands()
        .forEach(
            (name, cli) -> {
              String help = cli.getUsageMessage(CommandLine.Help.Ansi.OFF);
              for (OptionSpec o : cli.getCommandSpec().options()) {
                if (!o.hidden()) {
                  assertTrue(
                      help.contains(o.longestName()),
                      name + " --help misses " + o.longestName() + ":\n" + help);
                }
              }
            });
  }
}
