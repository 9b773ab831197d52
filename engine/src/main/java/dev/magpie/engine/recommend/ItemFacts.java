package dev.magpie.engine.recommend;

import dev.magpie.engine.behaviour.ItemRelations;
import dev.magpie.engine.behaviour.ShardRelations;
import dev.magpie.engine.shard.ItemRef;
import dev.magpie.engine.snapshot.ItemStore;
import java.util.Arrays;
import java.util.function.IntToLongFunction;
import org.eclipse.collections.api.block.function.primitive.IntToFloatFunction;

/**
 * What a recommendation needs to know of one item the request starts from (a context item, or an
 * item of the shopper's history), from the shard that holds it: enough to build the shopper's
 * profile and the query vector, to spread behaviour from it, and to quote it in reasons.
 *
 * @param ref the item's reference
 * @param id the item's external id
 * @param position the item's position in the whole catalog
 * @param title the item's title
 * @param categories the item's category and its ancestors, leaf first (empty for none): the
 *     catalog-wide dictionary's ordinals
 * @param brand the item's brand, or ""
 * @param priceMinor the item's price in minor units, or {@link
 *     dev.magpie.engine.catalog.Item#UNKNOWN_PRICE}
 * @param vector the item's vector, or null
 * @param together the items seen together with it (behaviour), heaviest first
 * @param complements the items bought after it (behaviour), heaviest first
 */
public record ItemFacts(
    long ref,
    String id,
    long position,
    String title,
    int[] categories,
    String brand,
    long priceMinor,
    float[] vector,
    Row together,
    Row complements) {

  /**
   * One item's behaviour relations: neighbours and edge weights, heaviest first.
   *
   * @param refs each neighbour's reference
   * @param weights each edge's weight
   */
  public record Row(long[] refs, float[] weights) {
    /** No edges. */
    public static final Row EMPTY = new Row(new long[0], new float[0]);

    /** Checks that neighbours and weights pair up. */
    public Row {
      if (refs.length != weights.length) {
        throw new IllegalArgumentException(
            "relation row: " + refs.length + " neighbours, " + weights.length + " weights");
      }
    }

    /** Row {@code a} of a shard's {@code relations}, neighbours named anywhere in the catalog. */
    public static Row of(ShardRelations relations, int a) {
      return a >= relations.items()
          ? EMPTY // added live since the snapshot: no behaviour yet
          : of(relations.start(a), relations.end(a), relations::ref, relations::weight);
    }

    /** Row {@code a} of {@code relations}, its neighbours on shard {@code shard}. */
    public static Row of(ItemRelations relations, int shard, int a) {
      return a >= relations.items()
          ? EMPTY
          : of(
              relations.start(a),
              relations.end(a),
              e -> ItemRef.of(shard, relations.neighbour(e)),
              relations::weight);
    }

    private static Row of(int start, int end, IntToLongFunction ref, IntToFloatFunction weight) {
      long[] refs = new long[end - start];
      float[] weights = new float[end - start];
      for (int e = start; e < end; e++) {
        refs[e - start] = ref.applyAsLong(e);
        weights[e - start] = weight.valueOf(e);
      }
      return new Row(refs, weights);
    }
  }

  /**
   * The facts of item {@code ordinal} of {@code items}, held by shard {@code shard}, with its
   * relation rows.
   */
  public static ItemFacts of(
      ItemStore items, int shard, int ordinal, Row together, Row complements) {
    int[] chain = new int[8];
    int n = 0;
    for (int c = items.categoryOrdinal(ordinal); c >= 0; c = items.categoryParent(c)) {
      if (n == chain.length) {
        chain = Arrays.copyOf(chain, n * 2);
      }
      chain[n++] = c;
    }
    return new ItemFacts(
        ItemRef.of(shard, ordinal),
        items.externalId(ordinal),
        items.catalogPosition(ordinal),
        items.title(ordinal),
        Arrays.copyOf(chain, n),
        items.brand(ordinal),
        items.priceMinor(ordinal),
        items.hasVector(ordinal) ? items.vector(ordinal) : null,
        together,
        complements);
  }

  /** The item's category ordinal, or -1. */
  public int category() {
    return categories.length == 0 ? -1 : categories[0];
  }
}
