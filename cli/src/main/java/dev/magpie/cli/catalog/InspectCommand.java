package dev.magpie.cli.catalog;

import dev.magpie.cli.MagpieMain;
import dev.magpie.cli.MagpieSubcommand;
import dev.magpie.engine.route.ClusterDirectory;
import dev.magpie.engine.shard.Shard;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Manifest;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotOpenOptions;
import dev.magpie.engine.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code magpie inspect}: verify a snapshot and show its manifest, counts and a few items. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Opens a snapshot, verifying every file's checksum, and prints its manifest, counts and a few items.",
      "DIR is a snapshot store (its CURRENT version is shown) or one version directory."
    },
    footer = {"", "Exit codes: 0 valid, 1 corrupt or incomplete, 2 not found or bad usage."})
public final class InspectCommand implements MagpieSubcommand {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DIR",
      description = "Snapshot store or version directory. Default: $MAGPIE_HOME/var/snapshots.")
  Path dir;

  @Option(
      names = "--items",
      defaultValue = "5",
      paramLabel = "N",
      description = "Items to print (default: ${DEFAULT-VALUE}).")
  int items;

  @Option(
      names = "--from",
      defaultValue = "0",
      paramLabel = "ORDINAL",
      description = "First item ordinal to print.")
  int from;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description = "Print the item with this external id; repeatable.")
  List<String> ids = new ArrayList<>();

  @Option(names = "--manifest", description = "Print the whole manifest as JSON.")
  boolean manifestJson;

  @Option(
      names = "--no-verify",
      description = "Skip recomputing checksums (lengths and footers are still checked).")
  boolean noVerify;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path target = dir != null ? dir : MagpieMain.defaultStore();
    if (ClusterDirectory.isCluster(target)) {
      return inspectCluster(target, out, err);
    }
    Path versionDir;
    try {
      versionDir = SnapshotStore.resolveVersionDir(target);
    } catch (NoSuchFileException e) {
      err.println("magpie inspect: " + target + ": no such snapshot store or version");
      return USAGE;
    } catch (IOException e) {
      err.println("magpie inspect: " + e.getMessage());
      return FAILED;
    }
    long start = System.nanoTime();
    try (Snapshot snapshot = Snapshot.open(versionDir, new SnapshotOpenOptions(!noVerify))) {
      double openMs = (System.nanoTime() - start) / 1e6;
      Manifest m = snapshot.manifest();
      ItemStore store = snapshot.items();
      if (manifestJson) {
        out.println(m.toPrettyJson());
      }
      out.printf(Locale.ROOT, "snapshot %s%n", versionDir);
      out.printf(
          Locale.ROOT,
          "  version %d, format %d, created %s, opened in %.1f ms (%s)%n",
          m.version(),
          Manifest.FORMAT_VERSION,
          m.createdAt(),
          openMs,
          noVerify ? "checksums not recomputed" : "all checksums verified");
      out.printf(Locale.ROOT, "  items %,d", m.itemCount());
      for (Map.Entry<String, Long> c : m.counts().entrySet()) {
        out.printf(Locale.ROOT, ", %s %,d", c.getKey(), c.getValue());
      }
      out.printf(Locale.ROOT, "%n  vector dimension %d%n", m.vectorDimension());
      out.printf(
          Locale.ROOT,
          "  %d files, %s, %,.0f bytes per item%n",
          m.files().size(),
          ItemTable.bytes(m.totalBytes()),
          m.itemCount() == 0 ? 0.0 : (double) m.totalBytes() / m.itemCount());
      out.printf(Locale.ROOT, "  memory after open: %s%n", ProcessMemory.describe());
      out.println("  build:");
      m.build().forEach((k, v) -> out.printf(Locale.ROOT, "    %-20s %s%n", k, v));
      out.println();
      if (!ids.isEmpty()) {
        int missing = 0;
        ItemTable.print(out, store, 0, 0);
        for (String id : ids) {
          int ordinal = store.ordinalOf(id);
          if (ordinal < 0) {
            err.println("magpie inspect: no item with id '" + id + "'");
            missing++;
          } else {
            ItemTable.print(out, ordinal, store.item(ordinal));
          }
        }
        out.flush();
        return missing == 0 ? OK : FAILED;
      }
      ItemTable.print(out, store, from, items);
      out.flush();
      return OK;
    } catch (IOException | RuntimeException e) {
      out.flush();
      err.println("magpie inspect: " + versionDir + " is not a valid snapshot: " + e.getMessage());
      return FAILED;
    }
  }

  /**
   * A cluster directory ({@code magpie load --shards}): opens every shard's current version,
   * verifying it, checks that they belong together, and prints a line per shard.
   */
  private int inspectCluster(Path target, PrintWriter out, PrintWriter err) {
    List<Snapshot> shards;
    try {
      shards = ClusterDirectory.open(target);
    } catch (IOException | RuntimeException e) {
      err.println(
          "magpie inspect: " + target + " is not a valid cluster directory: " + e.getMessage());
      return FAILED;
    }
    try {
      long items = 0;
      Shard first = Shard.of(shards.getFirst().manifest().build());
      out.printf(
          Locale.ROOT,
          "cluster %s: %d shards of load %s, %,d catalog items (all checksums verified)%n",
          target,
          shards.size(),
          first.build(),
          first.catalogItems());
      for (Snapshot s : shards) {
        Shard shard = Shard.of(s.manifest().build());
        items += s.items().size();
        out.printf(
            Locale.ROOT,
            "  shard %d  %,9d items  %s  %s%n",
            shard.index(),
            s.items().size(),
            ItemTable.bytes(s.manifest().totalBytes()),
            s.dir());
      }
      out.flush();
      if (items != first.catalogItems()) {
        err.println(
            "magpie inspect: the shards hold "
                + items
                + " items, the load recorded "
                + first.catalogItems());
        return FAILED;
      }
      return OK;
    } finally {
      for (Snapshot s : shards) {
        s.close();
      }
    }
  }
}
