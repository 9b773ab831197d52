package dev.magpie.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.cli.MagpieMain;
import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.testing.TestSnapshots;
import dev.magpie.server.MagpieServer;
import dev.magpie.server.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code magpie query} against the real server on loopback. */
class QueryCommandTest {
  private static final String TENTS = "Outdoor > Camping > Tents";
  private static final String LIGHTS = "Outdoor > Camping > Lights";

  @TempDir static Path dir;
  private static MagpieServer server;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void start() throws Exception {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      items.add(
          TestSnapshots.item(
              "tent" + i,
              "Trail tent for " + (i + 2),
              "Acme",
              TENTS,
              10_000L + i * 2_500,
              4,
              Map.of("season", i % 2 == 0 ? "3-season" : "4-season")));
      items.add(
          TestSnapshots.item(
              "lamp" + i, "Camping lamp " + i, "Lumo", LIGHTS, 1_500L + i * 500, 9, Map.of()));
    }
    Interactions.Builder log = new Interactions.Builder(items.size());
    for (int u = 0; u < 12; u++) {
      log.add("camper" + u, 2 * (u % 4), EventType.BUY, 1_700_000_000L + u * 100, 4f);
      log.add("camper" + u, 2 * (u % 4) + 1, EventType.BUY, 1_700_000_050L + u * 100, 4f);
    }
    Knowledge knowledge =
        new Knowledge(
            List.of(TENTS, LIGHTS),
            List.of(new Knowledge.Relation(TENTS, LIGHTS, "complement", 0.9)),
            List.of(),
            List.of(),
            List.of());
    server =
        MagpieServer.start(
            TestSnapshots.build(dir.resolve("s"), items, knowledge, log.build()),
            ServerConfig.builder().wal(dir.resolve("wal")).build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private int query(String... args) {
    CommandLine cli = MagpieMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("query"));
    all.add(args[0]);
    all.addAll(List.of("--port", Integer.toString(server.port())));
    all.addAll(List.of(args).subList(1, args.length));
    return cli.execute(all.toArray(String[]::new));
  }

  @Test
  void searchPrintsATableOfExplainedHits() {
    assertEquals(0, query("search", "tent", "-k", "3", "--max-price", "130"), err.toString());
    String table = out.toString();
    assertTrue(
        table
            .lines()
            .findFirst()
            .orElseThrow()
            .matches("#\\s+id\\s+title\\s+price\\s+stock\\s+score\\s+why"),
        table);
    assertTrue(
        table.contains("tent0") && table.contains("tent1") && !table.contains("tent2"), table);
    assertTrue(table.contains("100.00 USD"), table);
  }

  @Test
  void getCompareAndBasketPrintReadableAnswers() {
    assertEquals(0, query("get", "lamp1", "nope"), err.toString());
    assertTrue(
        out.toString().contains("Camping lamp 1")
            && out.toString().contains("not in the catalog: nope"),
        out.toString());
    out.getBuffer().setLength(0);
    assertEquals(0, query("compare", "tent0", "tent1"), err.toString());
    assertTrue(
        out.toString().contains("* season")
            && out.toString().contains("Differences:")
            && out.toString().contains("the budget-minded"),
        out.toString());
    out.getBuffer().setLength(0);
    assertEquals(0, query("basket", "--cart", "tent0", "--threshold", "120"), err.toString());
    assertTrue(
        out.toString().contains("cart: 100.00 USD")
            && out.toString().contains("total: 120.00 USD, over the" + " threshold by 0.00 USD"),
        out.toString());
  }

  @Test
  void updateThenGetShowsTheNewPriceAndBadInputIsAClearError() {
    assertEquals(0, query("update", "lamp3", "--price", "12.50", "--stock", "0"), err.toString());
    assertTrue(
        out.toString().startsWith("applied 1 update(s), durable at log sequence"), out.toString());
    out.getBuffer().setLength(0);
    assertEquals(0, query("get", "lamp3"));
    assertTrue(out.toString().contains("12.50 USD"), out.toString());
    assertEquals(1, query("update", "nope", "--stock", "1"));
    assertTrue(
        err.toString()
            .contains("INVALID_ARGUMENT: updates[0].item_id: no item 'nope' in the catalog"),
        err.toString());
    assertEquals(2, query("update", "lamp3", "--price", "cheap"));
    assertTrue(err.toString().contains("--price: 'cheap' is not a price in USD"), err.toString());
  }

  @Test
  void updateWithATitleAddsAnItemTheNextSearchFinds() {
    assertEquals(
        0,
        query(
            "update",
            "stove1",
            "--title",
            "Folding camp stove",
            "--brand",
            "Blaze",
            "--category",
            TENTS,
            "--price",
            "45",
            "--stock",
            "6",
            "--attribute",
            "fuel=butane"),
        err.toString());
    out.getBuffer().setLength(0);
    assertEquals(0, query("search", "camp stove"), err.toString());
    assertTrue(
        out.toString().contains("stove1") && out.toString().contains("45.00 USD"), out.toString());
  }

  @Test
  void statsAndHealth() {
    assertEquals(0, query("health"));
    assertEquals("SERVING", out.toString().strip());
    out.getBuffer().setLength(0);
    assertEquals(0, query("stats"));
    assertTrue(out.toString().contains("live updates  log at sequence"), out.toString());
  }
}
