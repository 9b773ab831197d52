package dev.magpie.engine.live;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.recommend.UserProfiles;
import dev.magpie.engine.snapshot.ItemStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A checksum of what live updates change, for telling whether two replicas that applied the same
 * updates hold the same state: every item's id and sale facts (price, currency, stock, flags),
 * every item added live in full, and the shoppers' events recorded live. Two replicas of one shard
 * at one offset of the update log must agree; any difference in an item or an event shows.
 */
public final class StateChecksum {
  private StateChecksum() {}

  /** The checksum of {@code items} (an epoch) and {@code profiles}' live events. */
  public static long of(ItemStore items, UserProfiles profiles) {
    CRC32C crc = new CRC32C();
    ByteBuffer facts = ByteBuffer.allocate(8 + 4 + 4 + 1).order(ByteOrder.LITTLE_ENDIAN);
    for (int ordinal = 0; ordinal < items.size(); ordinal++) {
      crc.update(items.externalId(ordinal).getBytes(StandardCharsets.UTF_8));
      facts
          .clear()
          .putLong(items.priceMinor(ordinal))
          .putInt(items.currencyOrdinal(ordinal))
          .putInt(items.stock(ordinal))
          .put(items.flags(ordinal))
          .flip();
      crc.update(facts);
      if (ordinal >= items.snapshotSize()) {
        added(crc, items.item(ordinal));
      }
    }
    // Items in the high half, events folded into the low one.
    long events = profiles.recordedChecksum();
    return crc.getValue() << 32 | ((events ^ (events >>> 32)) & 0xFFFF_FFFFL);
  }

  private static void added(CRC32C crc, Item item) {
    for (String s :
        new String[] {item.title(), item.description(), item.brand(), item.categoryPath()}) {
      crc.update(s.getBytes(StandardCharsets.UTF_8));
      crc.update(0);
    }
    for (Map.Entry<String, String> a : new TreeMap<>(item.attributes()).entrySet()) {
      crc.update((a.getKey() + "=" + a.getValue()).getBytes(StandardCharsets.UTF_8));
      crc.update(0);
    }
    if (item.vector() != null) {
      ByteBuffer v = ByteBuffer.allocate(4 * item.vector().length).order(ByteOrder.LITTLE_ENDIAN);
      for (float f : item.vector()) {
        v.putFloat(f);
      }
      crc.update(v.flip());
    }
  }
}
