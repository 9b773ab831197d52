package dev.magpie.engine.snapshot;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap;

/**
 * A build-time dictionary of distinct strings (brands, categories, currencies, attribute names),
 * ordinals assigned in order of first appearance. Its cardinality is small next to the item count,
 * so it lives on the heap while a snapshot is written.
 */
final class Dictionary {
  private final ObjectIntHashMap<String> ordinals = new ObjectIntHashMap<>();
  private final List<String> values = new ArrayList<>();

  /** The ordinal of {@code value}, adding it if new. */
  int intern(String value) {
    int ordinal = ordinals.getIfAbsent(value, -1);
    if (ordinal < 0) {
      ordinal = values.size();
      ordinals.put(value, ordinal);
      values.add(value);
    }
    return ordinal;
  }

  /** The ordinal of {@code value}, or -1. */
  int ordinalOf(String value) {
    return ordinals.getIfAbsent(value, -1);
  }

  /** Values in ordinal order. */
  List<String> values() {
    return values;
  }

  int size() {
    return values.size();
  }
}
