package dev.magpie.cli.catalog;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.catalog.Money;
import dev.magpie.engine.snapshot.ItemStore;
import java.io.PrintWriter;
import java.util.Locale;

/** Prints items as a readable, width-limited table. */
final class ItemTable {
  private ItemTable() {}

  static void print(PrintWriter out, ItemStore items, int from, int count) {
    int end = (int) Math.min(items.size(), (long) from + count);
    out.printf(
        Locale.ROOT,
        "%7s  %-14s  %-44s  %-16s  %-28s  %11s  %6s  %5s%n",
        "ordinal",
        "id",
        "title",
        "brand",
        "category",
        "price",
        "stock",
        "stars");
    for (int i = from; i < end; i++) {
      print(out, i, items.item(i));
    }
    if (end - from < count && items.size() == 0) {
      out.println("(no items)");
    }
  }

  static void print(PrintWriter out, int ordinal, Item item) {
    out.printf(
        Locale.ROOT,
        "%7d  %-14s  %-44s  %-16s  %-28s  %11s  %6s  %5s%n",
        ordinal,
        cut(item.externalId(), 14),
        cut(item.title(), 44),
        cut(item.brand(), 16),
        cut(item.categoryPath(), 28),
        price(item),
        item.hasStock() ? Integer.toString(item.stock()) : "-",
        item.hasRating() ? String.format(Locale.ROOT, "%.1f", item.rating()) : "-");
  }

  static String price(Item item) {
    return Money.format(item.priceMinor(), item.currency());
  }

  static String cut(String s, int width) {
    String oneLine = s.replace('\n', ' ').replace('\t', ' ');
    return oneLine.length() <= width ? oneLine : oneLine.substring(0, width - 1) + "…";
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    if (n < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
  }
}
