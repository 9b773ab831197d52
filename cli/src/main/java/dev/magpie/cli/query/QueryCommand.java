package dev.magpie.cli.query;

import dev.magpie.api.v1.AttributeRow;
import dev.magpie.api.v1.BasketItem;
import dev.magpie.api.v1.CartLine;
import dev.magpie.api.v1.CompareItemsResponse;
import dev.magpie.api.v1.CompleteBasketRequest;
import dev.magpie.api.v1.CompleteBasketResponse;
import dev.magpie.api.v1.Filters;
import dev.magpie.api.v1.GetItemsResponse;
import dev.magpie.api.v1.Item;
import dev.magpie.api.v1.ItemUpdate;
import dev.magpie.api.v1.NewItem;
import dev.magpie.api.v1.RecommendRequest;
import dev.magpie.api.v1.RecommendResponse;
import dev.magpie.api.v1.Recommendation;
import dev.magpie.api.v1.SearchHit;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.SearchResponse;
import dev.magpie.api.v1.StatsResponse;
import dev.magpie.api.v1.UpdateItemsRequest;
import dev.magpie.api.v1.UpdateItemsResponse;
import dev.magpie.cli.MagpieSubcommand;
import dev.magpie.client.MagpieClient;
import dev.magpie.engine.catalog.Money;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code magpie query}: calls a running server through {@link MagpieClient} and prints what it
 * answers as readable tables. Refusals print the server's status and message and exit 1.
 */
@Command(
    name = "query",
    description = "Call a running Magpie server and print readable tables.",
    mixinStandardHelpOptions = true,
    subcommands = {
      QueryCommand.Search.class, QueryCommand.Get.class, QueryCommand.Recommend.class,
          QueryCommand.Similar.class,
      QueryCommand.Compare.class, QueryCommand.Basket.class, QueryCommand.Update.class,
          QueryCommand.Stats.class,
      QueryCommand.Health.class
    })
public final class QueryCommand implements MagpieSubcommand {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return USAGE;
  }

  /** Runs one call: connection, printing, and the exit code for refusals and bad input. */
  abstract static class Call implements Callable<Integer> {
    @Mixin ConnectionOptions connection;
    @Spec CommandSpec spec;

    abstract void run(MagpieClient client, PrintWriter out);

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try (MagpieClient client = connection.open(2)) {
        run(client, out);
        out.flush();
        return OK;
      } catch (StatusRuntimeException e) {
        err.println(
            "magpie query: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
        return FAILED;
      } catch (IllegalArgumentException | IOException e) {
        err.println("magpie query: " + e.getMessage());
        return USAGE;
      }
    }
  }

  /** The item's title, marked when sponsored. */
  static String title(Item item) {
    return item.getTitle() + (item.getSponsored() ? " [sponsored]" : "");
  }

  static String price(Item item) {
    return item.hasPriceMinor() ? Money.format(item.getPriceMinor(), item.getCurrency()) : "-";
  }

  static String stock(Item item) {
    return item.getWithdrawn()
        ? "withdrawn"
        : item.hasStock() ? Integer.toString(item.getStock()) : "-";
  }

  @Command(
      name = "search",
      description = "Hybrid search, reranked, each hit explained.",
      mixinStandardHelpOptions = true)
  static final class Search extends Call {
    @Parameters(paramLabel = "QUERY", arity = "1..*", description = "What to look for.")
    List<String> words;

    @Option(names = "-k", defaultValue = "10", description = "Hits (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--category", description = "Only this category (or under it); repeatable.")
    List<String> categories = new ArrayList<>();

    @Option(names = "--brand", description = "Only this brand; repeatable.")
    List<String> brands = new ArrayList<>();

    @Option(
        names = "--max-price",
        paramLabel = "PRICE",
        description = "Highest price, in major units.")
    String maxPrice;

    @Option(names = "--in-stock", description = "Only items in stock.")
    boolean inStock;

    @Option(names = "--no-rerank", description = "The hybrid order, without the reranker.")
    boolean noRerank;

    @Override
    void run(MagpieClient client, PrintWriter out) {
      Filters.Builder filters =
          Filters.newBuilder()
              .addAllCategories(categories)
              .addAllBrands(brands)
              .setInStockOnly(inStock);
      if (maxPrice != null) {
        filters.setMaxPriceMinor(connection.minor("--max-price", maxPrice));
      }
      SearchResponse r =
          client.search(
              SearchRequest.newBuilder()
                  .setQuery(String.join(" ", words))
                  .setK(k)
                  .setFilters(filters)
                  .setNoRerank(noRerank)
                  .build());
      TextTable table = new TextTable(60, "#", "id", "title", "price", "stock", "score", "why");
      int rank = 0;
      for (SearchHit hit : r.getHitsList()) {
        Item item = hit.getItem();
        table.row(
            Integer.toString(++rank),
            item.getId(),
            title(item),
            price(item),
            stock(item),
            String.format(Locale.ROOT, "%.3f", hit.getScore()),
            hit.getExplanation());
      }
      table.print(out);
      r.getUnderstoodList()
          .forEach(
              u ->
                  out.println(
                      "understood " + u.getKind() + ": '" + u.getText() + "' -> " + u.getValue()));
      out.printf(
          Locale.ROOT,
          "%d hits, model %s%s%n",
          r.getHitsCount(),
          r.getModel(),
          r.getDegradedCount() == 0
              ? ""
              : ", degraded: skipped " + String.join(", ", r.getDegradedList()));
      r.getNotesList().forEach(n -> out.println("note: " + n));
    }
  }

  @Command(name = "get", description = "Items by id.", mixinStandardHelpOptions = true)
  static final class Get extends Call {
    @Parameters(paramLabel = "ID", arity = "1..*", description = "Item ids.")
    List<String> ids;

    @Override
    void run(MagpieClient client, PrintWriter out) {
      GetItemsResponse r = client.getItems(ids);
      TextTable table =
          new TextTable(60, "id", "title", "brand", "category", "price", "stock", "rating");
      for (Item item : r.getItemsList()) {
        table.row(
            item.getId(),
            title(item),
            item.getBrand(),
            item.getCategory(),
            price(item),
            stock(item),
            item.hasRating() ? String.format(Locale.ROOT, "%.1f", item.getRating()) : "-");
      }
      table.print(out);
      if (r.getMissingCount() > 0) {
        out.println("not in the catalog: " + String.join(", ", r.getMissingList()));
      }
    }
  }

  static void printRecommendations(RecommendResponse r, PrintWriter out) {
    TextTable table = new TextTable(70, "#", "id", "title", "price", "score", "why");
    int rank = 0;
    for (Recommendation rec : r.getItemsList()) {
      Item item = rec.getItem();
      table.row(
          Integer.toString(++rank),
          item.getId(),
          title(item),
          price(item),
          String.format(Locale.ROOT, "%.3f", rec.getScore()),
          String.join("; ", rec.getReasonsList()));
    }
    table.print(out);
    out.println("model " + r.getModel());
    r.getNotesList().forEach(n -> out.println("note: " + n));
  }

  @Command(
      name = "recommend",
      description = "Recommendations for a shopper and/or context items.",
      mixinStandardHelpOptions = true)
  static final class Recommend extends Call {
    @Option(names = "--user", description = "The shopper.")
    String user;

    @Option(
        names = "--context",
        description = "An item being looked at or in the cart; repeatable.")
    List<String> context = new ArrayList<>();

    @Option(names = "--occasion", description = "An occasion of the knowledge (\"camping trip\").")
    String occasion;

    @Option(names = "-k", defaultValue = "10", description = "Items (default: ${DEFAULT-VALUE}).")
    int k;

    @Override
    void run(MagpieClient client, PrintWriter out) {
      RecommendRequest.Builder request =
          RecommendRequest.newBuilder().addAllContext(context).setK(k);
      if (user != null) {
        request.setUser(user);
      }
      if (occasion != null) {
        request.setOccasion(occasion);
      }
      printRecommendations(client.recommend(request.build()), out);
    }
  }

  @Command(name = "similar", description = "Items like one item.", mixinStandardHelpOptions = true)
  static final class Similar extends Call {
    @Parameters(paramLabel = "ID", description = "The item.")
    String id;

    @Option(names = "-k", defaultValue = "10", description = "Items (default: ${DEFAULT-VALUE}).")
    int k;

    @Override
    void run(MagpieClient client, PrintWriter out) {
      printRecommendations(client.similarItems(id, k), out);
    }
  }

  @Command(
      name = "compare",
      description = "Items side by side: facts, differences, who each suits.",
      mixinStandardHelpOptions = true)
  static final class Compare extends Call {
    @Parameters(paramLabel = "ID", arity = "2..*", description = "Items to compare.")
    List<String> ids;

    @Option(names = "--user", description = "Say who each suits for this shopper too.")
    String user;

    @Override
    void run(MagpieClient client, PrintWriter out) {
      CompareItemsResponse r = client.compare(ids, user);
      List<String> header = new ArrayList<>(List.of(""));
      r.getItemsList().forEach(i -> header.add(i.getItem().getId()));
      TextTable table = new TextTable(40, header.toArray(String[]::new));
      List<String> titles = new ArrayList<>(List.of("title"));
      r.getItemsList().forEach(i -> titles.add(i.getItem().getTitle()));
      table.row(titles.toArray(String[]::new));
      for (AttributeRow row : r.getRowsList()) {
        List<String> cells =
            new ArrayList<>(List.of((row.getDiffers() ? "* " : "  ") + row.getName()));
        cells.addAll(row.getValuesList());
        table.row(cells.toArray(String[]::new));
      }
      table.print(out);
      out.println();
      out.println("Differences:");
      r.getDifferencesList().forEach(d -> out.println("  - " + d));
      out.println("Suits:");
      r.getItemsList()
          .forEach(
              i ->
                  out.println(
                      "  " + i.getItem().getId() + ": " + String.join("; ", i.getSuitsList())));
    }
  }

  @Command(
      name = "basket",
      description = "Complete a cart to a spending threshold with complements.",
      mixinStandardHelpOptions = true)
  static final class Basket extends Call {
    @Option(
        names = "--cart",
        arity = "1..*",
        required = true,
        paramLabel = "ID[:QTY]",
        description = "Cart lines.")
    List<String> cart;

    @Option(
        names = "--threshold",
        required = true,
        paramLabel = "PRICE",
        description = "The total to reach (a coupon's minimum spend), in major units.")
    String threshold;

    @Option(
        names = "--cap",
        paramLabel = "PRICE",
        description = "The total not to pass, in major units.")
    String cap;

    @Option(names = "--user", description = "The shopper.")
    String user;

    @Option(
        names = "--max-items",
        defaultValue = "3",
        description = "Items to add at most (default: ${DEFAULT-VALUE}).")
    int maxItems;

    @Override
    void run(MagpieClient client, PrintWriter out) {
      CompleteBasketRequest.Builder request =
          CompleteBasketRequest.newBuilder()
              .setThresholdMinor(connection.minor("--threshold", threshold))
              .setMaxItems(maxItems);
      for (String line : cart) {
        int colon = line.lastIndexOf(':');
        CartLine.Builder b =
            CartLine.newBuilder().setItemId(colon < 0 ? line : line.substring(0, colon));
        if (colon >= 0) {
          try {
            b.setQuantity(Integer.parseInt(line.substring(colon + 1)));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                "--cart " + line + ": the quantity after ':' is not a number", e);
          }
        }
        request.addCart(b);
      }
      if (cap != null) {
        request.setCapMinor(connection.minor("--cap", cap));
      }
      if (user != null) {
        request.setUser(user);
      }
      CompleteBasketResponse r = client.completeBasket(request.build());
      out.println("cart: " + Money.format(r.getCartTotalMinor(), r.getCurrency()));
      TextTable table = new TextTable(70, "add", "title", "price", "why");
      for (BasketItem a : r.getAddedList()) {
        table.row(
            a.getItem().getId(),
            a.getItem().getTitle(),
            price(a.getItem()),
            String.join("; ", a.getReasonsList()));
      }
      table.print(out);
      out.println(
          "total: "
              + Money.format(r.getTotalMinor(), r.getCurrency())
              + (r.getReached()
                  ? ", over the threshold by "
                      + Money.format(r.getOvershootMinor(), r.getCurrency())
                  : ", threshold not reached"));
      r.getNotesList().forEach(n -> out.println("note: " + n));
    }
  }

  @Command(
      name = "update",
      description =
          "Change an item's price, stock or availability, or add a new item with"
              + " --title (a write key).",
      mixinStandardHelpOptions = true)
  static final class Update extends Call {
    @Parameters(paramLabel = "ID", description = "The item.")
    String id;

    @Option(
        names = "--price",
        paramLabel = "PRICE",
        description = "New price, in major units of --currency.")
    String price;

    @Option(names = "--stock", description = "Units in stock.")
    Integer stock;

    @Option(
        names = "--available",
        arity = "1",
        paramLabel = "true|false",
        description = "List or withdraw the item.")
    Boolean available;

    @Option(
        names = "--title",
        description = "Adds ID as a new item with this title (searchable at once).")
    String title;

    @Option(names = "--description", description = "A new item's description.")
    String description = "";

    @Option(names = "--brand", description = "A new item's brand.")
    String brand = "";

    @Option(
        names = "--category",
        description = "A new item's category path, one of the catalog's (\"Outdoor > Tents\").")
    String category = "";

    @Option(
        names = "--attribute",
        paramLabel = "NAME=VALUE",
        description = "A new item's attribute; repeatable.")
    Map<String, String> attributes = new LinkedHashMap<>();

    @Override
    void run(MagpieClient client, PrintWriter out) {
      ItemUpdate.Builder update = ItemUpdate.newBuilder().setItemId(id);
      if (title != null) {
        update.setNewItem(
            NewItem.newBuilder()
                .setTitle(title)
                .setDescription(description)
                .setBrand(brand)
                .setCategory(category)
                .putAllAttributes(attributes));
      }
      if (price != null) {
        update.setPriceMinor(connection.minor("--price", price)).setCurrency(connection.currency());
      }
      if (stock != null) {
        update.setStock(stock);
      }
      if (available != null) {
        update.setAvailable(available);
      }
      UpdateItemsResponse r =
          client.updateItems(UpdateItemsRequest.newBuilder().addUpdates(update).build());
      if (r.getPositionsCount() > 0) {
        // Through a router: where the update lies in the cluster's update log.
        StringBuilder at = new StringBuilder();
        r.getPositionsList()
            .forEach(
                p ->
                    at.append(at.isEmpty() ? "" : ", ")
                        .append("partition ")
                        .append(p.getPartition())
                        .append(" offset ")
                        .append(p.getOffset()));
        out.println("acknowledged " + r.getApplied() + " update(s) by the update log at " + at);
      } else {
        out.println(
            "applied " + r.getApplied() + " update(s), durable at log sequence " + r.getSequence());
      }
    }
  }

  @Command(
      name = "stats",
      description = "What the server serves (an admin key).",
      mixinStandardHelpOptions = true)
  static final class Stats extends Call {
    @Override
    void run(MagpieClient client, PrintWriter out) {
      StatsResponse s = client.stats();
      TextTable table = new TextTable(80, "", "");
      table
          .row(
              "snapshot",
              s.getSnapshotDir() + " (v" + s.getVersion() + ", built " + s.getCreatedAt() + ")")
          .row("items", String.format(Locale.ROOT, "%,d", s.getItems()))
          .row("shoppers", String.format(Locale.ROOT, "%,d", s.getUsers()))
          .row("models", "search " + s.getSearchModel() + ", recommend " + s.getRecommendModel())
          .row("uptime", s.getUptimeSeconds() + " s")
          .row(
              "concurrency",
              s.getInFlight()
                  + " in flight, limit "
                  + s.getConcurrencyLimit()
                  + ", shed "
                  + s.getShed())
          .row("search cache", s.getCacheHits() + " hits, " + s.getCoalesced() + " coalesced")
          .row(
              "live updates",
              !s.getLiveUpdates()
                  ? "off"
                  : "log at sequence "
                      + s.getWalSequence()
                      + ", "
                      + s.getWalRecords()
                      + " records in "
                      + s.getWalCommits()
                      + " commits, "
                      + s.getWalReplayed()
                      + " replayed at start");
      table.print(out);
    }
  }

  @Command(name = "health", description = "The server's health.", mixinStandardHelpOptions = true)
  static final class Health extends Call {
    @Override
    void run(MagpieClient client, PrintWriter out) {
      out.println(client.health());
    }
  }
}
