package dev.magpie.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.testing.RandomItems;
import dev.magpie.engine.testing.Seeded;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index against an exact oracle: a {@link HashMap} of the same keys. */
@Seeded
class StringHashIndexTest {
  @TempDir Path tmp;

  @Test
  void findsEveryKeyAndNoOther(Random random) throws IOException {
    for (int round = 0; round < 8; round++) {
      int count = round == 0 ? 0 : round == 1 ? 1 : random.nextInt(round * 3000);
      Map<String, Integer> oracle = new HashMap<>();
      List<String> keys = new ArrayList<>();
      while (keys.size() < count) {
        String key =
            random.nextBoolean()
                ? Long.toString(random.nextLong(), 36)
                : RandomItems.text(random, 3, 50);
        if (oracle.putIfAbsent(key, keys.size()) == null) {
          keys.add(key);
        }
      }
      Path column = tmp.resolve("keys" + round);
      try (StringColumnWriter out = StringColumnWriter.create(column)) {
        for (String k : keys) {
          out.add(k);
        }
        out.finish();
      }
      try (Arena arena = Arena.ofConfined()) {
        StringColumn strings = StringColumn.open(column, arena, true);
        for (int i = 0; i < keys.size(); i++) {
          assertEquals(keys.get(i), strings.get(i));
        }
        Path indexFile = tmp.resolve("index" + round);
        StringHashIndex.write(indexFile, strings, random.nextLong());
        StringHashIndex index = StringHashIndex.open(indexFile, arena, strings, true);
        for (Map.Entry<String, Integer> e : oracle.entrySet()) {
          assertEquals(e.getValue(), index.ordinalOf(e.getKey()), e.getKey());
        }
        for (int i = 0; i < 1000; i++) {
          String probe = "absent-" + random.nextLong();
          assertEquals(oracle.getOrDefault(probe, -1), index.ordinalOf(probe));
        }
        assertEquals(StringHashIndex.ABSENT, index.ordinalOf(""));
      }
    }
  }

  @Test
  void refusesDuplicateKeysNamingThem() throws IOException {
    Path column = tmp.resolve("dups");
    try (StringColumnWriter out = StringColumnWriter.create(column)) {
      out.add("a");
      out.add("b");
      out.add("a");
      out.finish();
    }
    try (Arena arena = Arena.ofConfined()) {
      StringColumn strings = StringColumn.open(column, arena, true);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> StringHashIndex.write(tmp.resolve("i"), strings, 1));
      assertTrue(e.getMessage().contains("duplicate key 'a' at ordinals 0 and 2"), e.getMessage());
    }
  }

  @Test
  void capacityIsAPowerOfTwoFilledAtMostThreeQuarters() {
    for (int count = 0; count < 5000; count++) {
      int capacity = StringHashIndex.capacityFor(count);
      assertEquals(0, capacity & (capacity - 1), "power of two for " + count);
      assertTrue(
          4L * count <= 3L * capacity && capacity >= 2, "capacity " + capacity + " for " + count);
      assertTrue(
          count < 2 || 8L * count > 3L * capacity, "not wasteful: " + capacity + " for " + count);
    }
    assertEquals(1 << 21, StringHashIndex.capacityFor(1_000_000));
  }
}
