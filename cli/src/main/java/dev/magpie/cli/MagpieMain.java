package dev.magpie.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code magpie} launcher's entry point. */
@Command(
    name = "magpie",
    mixinStandardHelpOptions = true,
    versionProvider = MagpieMain.Version.class,
    description = "Magpie: in-memory product retrieval and recommendation engine.",
    synopsisSubcommandLabel = "COMMAND")
public final class MagpieMain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Held so the level sticks: JUL keeps loggers weakly. */
  private static final Logger LUCENE_LOG = Logger.getLogger("org.apache.lucene");

  /** Runs {@code magpie} with {@code args} and exits with its exit code. */
  public static void main(String[] args) {
    // Lucene announces its SIMD setup at INFO on every start; keep the command output clean.
    LUCENE_LOG.setLevel(Level.WARNING);
    System.exit(run(args));
  }

  /** Runs {@code magpie} with {@code args} and returns the exit code (for tests). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The command line with every subcommand on the class path. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new MagpieMain());
    List<MagpieSubcommand> commands = new ArrayList<>();
    ServiceLoader.load(MagpieSubcommand.class).forEach(commands::add);
    commands.sort(Comparator.comparing(c -> c.getClass().getAnnotation(Command.class).name()));
    for (MagpieSubcommand command : commands) {
      cli.addSubcommand(command);
    }
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where Magpie keeps its data by default: {@code $MAGPIE_HOME/var}, else {@code ./var}. */
  public static Path dataDir() {
    String home = System.getProperty("magpie.home");
    return (home == null || home.isBlank() ? Path.of("") : Path.of(home))
        .resolve("var")
        .toAbsolutePath();
  }

  /** The default snapshot store: {@code <data dir>/snapshots}. */
  public static Path defaultStore() {
    return dataDir().resolve("snapshots");
  }

  /** Reports the build's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = MagpieMain.class.getPackage().getImplementationVersion();
      return new String[] {
        "magpie " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"
      };
    }
  }
}
