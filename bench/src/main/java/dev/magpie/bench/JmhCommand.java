package dev.magpie.bench;

import dev.magpie.cli.MagpieSubcommand;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code magpie jmh [JMH options] [benchmark regexp]}: runs the JMH benchmarks of this module on
 * the launcher's JDK and class path. Forked JVMs inherit the launcher's JVM flags.
 */
@Command(
    name = "jmh",
    description = {
      "Runs JMH benchmarks (dev.magpie.bench.jmh); arguments go to JMH unchanged.",
      "  magpie jmh -l                      list benchmarks",
      "  magpie jmh IdLookup -f 1 -wi 3 -i 5",
      "  magpie jmh -h                      JMH's own options"
    },
    usageHelpAutoWidth = true)
public final class JmhCommand implements MagpieSubcommand {
  @picocli.CommandLine.Option(
      names = "--help",
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Unmatched List<String> jmhArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Main.main(jmhArgs.toArray(String[]::new));
    return OK;
  }
}
