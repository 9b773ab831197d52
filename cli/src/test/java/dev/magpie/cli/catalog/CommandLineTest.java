package dev.magpie.cli.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.cli.MagpieMain;
import dev.magpie.engine.snapshot.SnapshotLayout;
import dev.magpie.engine.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandLineTest {
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = MagpieMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void everyCommandHasHelp() {
    assertEquals(0, run("--help"));
    for (String command : MagpieMain.commandLine().getSubcommands().keySet()) {
      assertEquals(0, run(command, "--help"), command);
      assertTrue(out.toString().contains("Usage: magpie " + command), out.toString());
    }
    assertTrue(out.toString().contains("load") && out.toString().contains("inspect"));
  }

  @Test
  void loadsTheBundledSampleByDefaultAndShowsItems() {
    Path store = tmp.resolve("store");
    assertEquals(0, run("load", "--out", store.toString(), "--progress", "none"), err.toString());
    String text = out.toString();
    assertTrue(text.contains("Loaded 3,000 items into " + store.resolve("v000001")), text);
    assertTrue(text.contains("rows read 3,000, rejected 0"), text);
    assertTrue(text.contains("MP-000001"), text);
    assertEquals(
        0, run("inspect", store.toString(), "--id", "MP-000042", "--items", "0"), err.toString());
    assertTrue(out.toString().contains("all checksums verified"), out.toString());
    assertTrue(out.toString().contains("MP-000042"), out.toString());
    assertEquals(1, run("inspect", store.toString(), "--id", "nope"));
    assertTrue(err.toString().contains("no item with id 'nope'"), err.toString());
  }

  @Test
  void searchPrintsHitsWithWhyAndWhatItUnderstood() {
    Path store = tmp.resolve("store");
    assertEquals(
        0,
        run("load", "--out", store.toString(), "--progress", "none", "--show", "0"),
        err.toString());
    assertEquals(
        0,
        run("search", store.toString(), "fleetfoot trail running shoes under $100", "--k", "3"),
        err.toString());
    String text = out.toString();
    assertTrue(text.contains("understood: price <= 100.00 (from 'under $100')"), text);
    assertTrue(text.contains("understood: brand fleetfoot (from 'fleetfoot')"), text);
    assertTrue(text.contains("why: "), text);
    assertTrue(text.contains("Fleetfoot"), text);
    assertEquals(
        0,
        run(
            "search",
            store.toString(),
            "knife",
            "--category",
            "Kitchen",
            "--max-price",
            "20",
            "--in-stock",
            "--k",
            "5"),
        err.toString());
    assertEquals(2, run("search", store.toString(), "knife", "--min-price", "-3"));
    assertTrue(err.toString().contains("--min-price must not be negative, got -3"), err.toString());
  }

  @Test
  void inspectFailsOnACorruptSnapshotNamingTheFile() throws IOException {
    Path store = tmp.resolve("store");
    assertEquals(0, run("load", "--out", store.toString(), "--progress", "none", "--show", "0"));
    Path victim = SnapshotStore.open(store).currentDir().resolve(SnapshotLayout.STOCK);
    try (FileChannel ch =
        FileChannel.open(victim, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {42}), 100);
    }
    assertEquals(1, run("inspect", store.toString()));
    assertTrue(err.toString().contains("stock.i32: checksum mismatch"), err.toString());
    Files.delete(SnapshotStore.open(store).currentDir().resolve(SnapshotLayout.MANIFEST));
    assertEquals(1, run("inspect", store.toString()));
    assertTrue(err.toString().contains("the snapshot was never finished"), err.toString());
  }

  @Test
  void badUsageExitsTwoWithAMessage() throws IOException {
    assertEquals(
        2,
        run("load", "--catalog", tmp.resolve("missing.jsonl").toString(), "--out", tmp.toString()));
    assertTrue(err.toString().contains("missing.jsonl: no such readable file"), err.toString());
    Path odd = tmp.resolve("catalog.txt");
    Files.writeString(odd, "x\n");
    assertEquals(
        2,
        run(
            "load",
            "--catalog",
            odd.toString(),
            "--out",
            tmp.resolve("s").toString(),
            "--progress",
            "none"));
    assertTrue(err.toString().contains("give --format jsonl|csv|tsv"), err.toString());
    assertEquals(2, run("inspect", tmp.resolve("nothing-here").toString()));
    assertEquals(
        2, run("load", "--keep", "0", "--out", tmp.resolve("k").toString(), "--progress", "none"));
    assertTrue(err.toString().contains("--keep must be at least 1"), err.toString());
  }
}
