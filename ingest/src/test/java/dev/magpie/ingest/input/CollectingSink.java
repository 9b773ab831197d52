package dev.magpie.ingest.input;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.catalog.Rejection;
import java.util.ArrayList;
import java.util.List;

/** A sink that keeps everything a reader produces, for assertions. */
final class CollectingSink implements CatalogSink {
  final List<Item> items = new ArrayList<>();
  final List<Long> lines = new ArrayList<>();
  final List<Rejection> rejections = new ArrayList<>();

  @Override
  public boolean accept(Item item, String source, long line) {
    items.add(item);
    lines.add(line);
    return true;
  }

  @Override
  public void reject(Rejection rejection) {
    rejections.add(rejection);
  }

  void clear() {
    items.clear();
    lines.clear();
    rejections.clear();
  }
}
