package dev.magpie.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.testing.TestSnapshots;
import dev.magpie.loader.MagpieMain;
import dev.magpie.server.MagpieServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The load generator against a real server on loopback: bounded (2 s at 100/s), every request accounted for. */
class LoadBenchCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = MagpieMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void sendsTheRateAskedAndReportsEveryRequest() throws Exception {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      items.add(TestSnapshots.item("lamp" + i, "Camping lamp model " + i, "Lumo", "Outdoor > Lights", 1_000 + i, 5,
          Map.of()));
    }
    Path queries = Files.writeString(dir.resolve("queries.tsv"), "q1\tcamping lamp\nq2\tlamp model 3\n");
    try (MagpieServer server = MagpieServer.start(TestSnapshots.build(dir.resolve("s"), items),
        MagpieServer.Options.local().withWal(dir.resolve("wal")))) {
      assertEquals(0, run("bench", "load", "--port", Integer.toString(server.port()), "--rate", "100",
          "--duration-s", "2", "--warmup-s", "0", "--queries", queries.toString(),
          "--mix", "search=2,get=1,update=1"), err.toString());
    }
    String report = out.toString();
    Matcher sent = Pattern.compile("sent ([0-9,]+) in").matcher(report);
    assertTrue(sent.find(), report);
    assertEquals(200, Integer.parseInt(sent.group(1).replace(",", "")), report);
    long answered = 0;
    Matcher row = Pattern.compile("(?m)^(search|get|update)\\s+ok\\s+([0-9,]+)").matcher(report);
    while (row.find()) {
      answered += Long.parseLong(row.group(2).replace(",", ""));
    }
    assertEquals(200, answered, "every request answered and counted once: " + report);
  }

  @Test
  void refusesAnAddressThatIsNotThisMachine() {
    assertEquals(2, run("bench", "load", "--host", "192.0.2.1", "--duration-s", "1"));
    assertTrue(err.toString().contains("is not a loopback address"), err.toString());
  }
}
