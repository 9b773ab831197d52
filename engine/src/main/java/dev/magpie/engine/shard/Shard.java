package dev.magpie.engine.shard;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a snapshot records of the shard it is: its number, the catalog's shard count, the build
 * every shard of one load shares, and how many items the whole catalog held. Read from and written
 * to a manifest's build parameters.
 *
 * @param index this shard's number, 0 to {@code count - 1}
 * @param count the catalog's shard count, a power of two fixed at its first load
 * @param build the load that built the shards, the same on each (a cluster serves one build)
 * @param catalogItems items in the whole catalog at that load
 */
public record Shard(int index, int count, String build, long catalogItems) {
  /** Build parameter: this shard's number. */
  public static final String INDEX_PARAMETER = "shard.index";

  /** Build parameter: the shard count. */
  public static final String COUNT_PARAMETER = "shard.count";

  /** Build parameter: the load every shard of the catalog came from. */
  public static final String BUILD_PARAMETER = "shard.build";

  /**
   * Build parameter: the offset of the shard's partition of the catalog's update log that the
   * snapshot holds every update before (its replicas replay from there); absent: from the start.
   */
  public static final String UPDATES_OFFSET_PARAMETER = "updates.offset";

  /** Build parameter: items in the whole catalog. */
  public static final String CATALOG_ITEMS_PARAMETER = "shard.catalogItems";

  /** Checks the numbers. */
  public Shard {
    ShardFunction.checkCount(count);
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "shard number must be from 0 to " + (count - 1) + ", got " + index);
    }
    if (catalogItems < 0) {
      throw new IllegalArgumentException("catalog items must not be negative: " + catalogItems);
    }
  }

  /**
   * Parses "I/S" (shard I of S), as {@code magpie load --shard} takes it; the build and item count
   * are left empty for the load to fill in.
   *
   * @throws IllegalArgumentException naming the text when it is not that
   */
  public static Shard parse(String text) {
    int slash = text.indexOf('/');
    try {
      if (slash > 0) {
        return new Shard(
            Integer.parseInt(text.substring(0, slash).strip()),
            Integer.parseInt(text.substring(slash + 1).strip()),
            "",
            0);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "'" + text + "': give the shard as I/S, shard I of S (S a power of two), e.g. 3/8");
  }

  /** The shard a snapshot's build parameters record, or null when it is not a shard. */
  public static Shard of(Map<String, String> build) {
    String index = build.get(INDEX_PARAMETER);
    if (index == null) {
      return null;
    }
    return new Shard(
        Integer.parseInt(index),
        Integer.parseInt(build.get(COUNT_PARAMETER)),
        build.getOrDefault(BUILD_PARAMETER, ""),
        Long.parseLong(build.getOrDefault(CATALOG_ITEMS_PARAMETER, "0")));
  }

  /** This shard with the load's build and item count. */
  public Shard of(String buildId, long items) {
    return new Shard(index, count, buildId, items);
  }

  /** The build parameters recording this shard. */
  public Map<String, String> buildParameters() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(INDEX_PARAMETER, Integer.toString(index));
    p.put(COUNT_PARAMETER, Integer.toString(count));
    p.put(BUILD_PARAMETER, build);
    p.put(CATALOG_ITEMS_PARAMETER, Long.toString(catalogItems));
    return p;
  }

  /** "shard I/S". */
  @Override
  public String toString() {
    return "shard " + index + "/" + count;
  }
}
