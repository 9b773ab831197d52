package dev.magpie.cli.catalog;

import dev.magpie.cli.MagpieSubcommand;
import dev.magpie.samples.SampleData;
import dev.magpie.samples.SampleGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code magpie generate}: a synthetic catalog, events and knowledge, deterministic from a seed.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a synthetic catalog (catalog.jsonl), behaviour events (events.csv) and knowledge",
      "(knowledge.json), the same bytes for the same seed and sizes. With no sizes it writes the",
      "bundled sample; larger sizes and --vector-dim make scale-test catalogs."
    },
    footer = {
      "",
      "Example: magpie generate --out /tmp/big --items 1000000 --users 0 --vector-dim 384"
    })
public final class GenerateCommand implements MagpieSubcommand {
  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory to write into.")
  Path out;

  @Option(
      names = "--items",
      defaultValue = "" + SampleGenerator.DEFAULT_ITEMS,
      paramLabel = "N",
      description = "Products (default: ${DEFAULT-VALUE}).")
  int items;

  @Option(
      names = "--users",
      defaultValue = "" + SampleGenerator.DEFAULT_USERS,
      paramLabel = "N",
      description = "Shoppers in the events; 0 writes no events (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--vector-dim",
      defaultValue = "0",
      paramLabel = "D",
      description =
          "Give every item a unit vector of D values, clustered by category (default: none).")
  int vectorDim;

  @Option(
      names = "--seed",
      defaultValue = "" + SampleGenerator.DEFAULT_SEED,
      paramLabel = "S",
      description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--distinct-titles",
      description =
          "Give every item a title of its own (a model code and often a modifier or two): without it,"
              + " titles repeat verbatim once the catalog outgrows the generator's combinations, which"
              + " no real catalog does and which hides how the text index prunes.")
  boolean distinctTitles;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    long start = System.nanoTime();
    try {
      new SampleGenerator(seed, items, users, vectorDim)
          .distinctTitles(distinctTitles)
          .writeAll(out);
      stdout.printf(
          Locale.ROOT,
          "Wrote %,d items (%s) to %s in %.1f s%n",
          items,
          ItemTable.bytes(Files.size(out.resolve(SampleData.CATALOG))),
          out,
          (System.nanoTime() - start) / 1e9);
      return OK;
    } catch (IllegalArgumentException | IOException e) {
      spec.commandLine().getErr().println("magpie generate: " + e.getMessage());
      return USAGE;
    }
  }
}
