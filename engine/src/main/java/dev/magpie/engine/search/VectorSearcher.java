package dev.magpie.engine.search;

import dev.magpie.engine.InvalidRequestException;
import dev.magpie.engine.embed.Embedder;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.View;
import dev.magpie.engine.text.TextFields;
import dev.magpie.engine.vector.VectorIndex;
import dev.magpie.engine.vector.VectorResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;

/**
 * Semantic search over one snapshot's vector index: embeds the query text with the model the
 * catalog was embedded with (or takes the caller's vector), applies the same filters as {@link
 * TextSearcher} (category subtree, brand, price range, stock, attributes) during the graph walk,
 * falling back to an exact scan when they pass few items, and scores hits by similarity (cosine for
 * embedded catalogs). Thread-safe; create one per snapshot.
 */
public final class VectorSearcher {
  private final Snapshot snapshot;
  private final ItemStore items;
  private final VectorIndex index;
  private final CatalogVocabulary vocabulary;
  private final Embedder embedder;
  private final String catalogModel;

  /** Items by brand and category, built by the first search filtered by either. */
  private volatile FilterPostings postings;

  /**
   * A brand or category filter passing at most this many of the snapshot's items has its candidates
   * listed and tested one by one (the exact count then chooses between an exact scan and the
   * graph); above it, the graph walk tests the filter as it goes.
   */
  static final int MAX_LISTED_CANDIDATES = 100_000;

  /**
   * A searcher over {@code snapshot}'s vectors.
   *
   * @param embedder embeds query texts; null to accept query vectors only
   * @throws IllegalArgumentException if the snapshot has no vector index, or the embedder is not
   *     the model that embedded the catalog or has another dimension
   */
  public VectorSearcher(Snapshot snapshot, Embedder embedder) {
    this.snapshot = snapshot;
    this.items = snapshot.items();
    this.index = snapshot.vectors();
    if (index == null) {
      throw new IllegalArgumentException(
          "snapshot "
              + snapshot.dir()
              + " has no vector index (its catalog"
              + " brought no vectors and was loaded with --no-embed)");
    }
    this.catalogModel = snapshot.manifest().build().get(Embedder.MANIFEST_PARAMETER);
    if (embedder != null && catalogModel != null && !catalogModel.equals(embedder.name())) {
      throw new IllegalArgumentException(
          "the catalog was embedded with "
              + catalogModel
              + ", queries would be"
              + " embedded with "
              + embedder.name());
    }
    if (embedder != null && embedder.dimension() != index.dim()) {
      throw new IllegalArgumentException(
          "embedder "
              + embedder.name()
              + " makes "
              + embedder.dimension()
              + "-dimension vectors, the index has "
              + index.dim());
    }
    this.embedder = embedder;
    this.vocabulary = new CatalogVocabulary(items);
  }

  /**
   * The hits most similar to the request's text or vector that pass its filters, best first; fewer
   * than k only when fewer items with a vector pass.
   *
   * @throws IllegalArgumentException naming what is wrong: a vector of the wrong dimension or with
   *     a value that is not finite, or text when no compatible embedder is at hand
   */
  public SearchResult search(VectorSearchRequest request) throws IOException {
    try (View view = snapshot.views().acquire()) {
      return search(view, request);
    }
  }

  /** As {@link #search(VectorSearchRequest)}, over {@code view}'s epoch. */
  public SearchResult search(View view, VectorSearchRequest request) throws IOException {
    float[] query = request.vector() != null ? request.vector() : embed(request.query());
    List<String> notes = new ArrayList<>();
    SearchFilters filters = request.filters();
    ItemStore items = view.items();
    int visible = items.size();
    ItemFilter columns = ItemFilter.of(items, filters, vocabulary, notes);
    VectorResult found;
    if (!filters.attributes().isEmpty()) {
      BitSet allowed = attributeMatches(view, filters.attributes());
      if (columns != null) {
        for (int i = allowed.nextSetBit(0); i >= 0; i = allowed.nextSetBit(i + 1)) {
          if (!columns.accepts(i)) {
            allowed.clear(i);
          }
        }
      }
      found = index.search(query, request.k(), request.beamWidth(), allowed, visible);
    } else if (columns != null) {
      BitSet listed = listedCandidates(items, columns);
      found =
          listed != null
              ? index.search(query, request.k(), request.beamWidth(), listed, visible)
              : index.searchFiltered(
                  query, request.k(), request.beamWidth(), columns::accepts, visible);
    } else {
      found = index.search(query, request.k(), request.beamWidth(), null, visible);
    }
    List<SearchHit> hits = new ArrayList<>(found.size());
    for (int i = 0; i < found.size(); i++) {
      int ordinal = found.ordinals()[i];
      hits.add(new SearchHit(ordinal, items.externalId(ordinal), found.scores()[i], List.of()));
    }
    return new SearchResult(
        hits, hits.size(), request.query(), List.of(), filters, false, notes, false);
  }

  /**
   * The similarity of each of {@code ordinals} with {@code query} (cosine for embedded catalogs),
   * computed exactly from the full-precision vectors (read from disk), 0 for an item without one:
   * for scoring items found another way. See {@link VectorIndex#similarities}.
   */
  public float[] similarities(float[] query, int[] ordinals) {
    return index.similarities(query, ordinals);
  }

  /** Why this searcher cannot embed query text for its catalog, or null when it can. */
  String whyTextCannotBeEmbedded() {
    if (catalogModel == null) {
      return "the catalog brought its own vectors, so query text cannot be embedded like them; send a query"
          + " vector of "
          + index.dim()
          + " dimensions";
    }
    if (embedder == null) {
      return "this searcher has no embedder; send a query vector of " + index.dim() + " dimensions";
    }
    return null;
  }

  /** {@code text} embedded with the catalog's model. */
  float[] embed(String text) {
    String refusal = whyTextCannotBeEmbedded();
    if (refusal != null) {
      throw new InvalidRequestException("query", refusal);
    }
    return embedder.embed(text);
  }

  /**
   * The items {@code columns} accepts, found through the brand or category lists (whichever is
   * shorter) plus the items added live; null when the filter names neither or passes more than
   * {@link #MAX_LISTED_CANDIDATES} of them.
   */
  private BitSet listedCandidates(ItemStore items, ItemFilter columns) {
    if (columns.brands() == null && columns.categories() == null) {
      return null;
    }
    FilterPostings lists = postings();
    long viaBrand = columns.brands() == null ? Long.MAX_VALUE : lists.brandItems(columns.brands());
    long viaCategory =
        columns.categories() == null ? Long.MAX_VALUE : lists.categoryItems(columns.categories());
    if (Math.min(viaBrand, viaCategory) > MAX_LISTED_CANDIDATES) {
      return null;
    }
    BitSet allowed = new BitSet(items.size());
    IntConsumer test =
        o -> {
          if (columns.accepts(o)) {
            allowed.set(o);
          }
        };
    if (viaBrand <= viaCategory) {
      lists.forEachOfBrands(columns.brands(), test);
    } else {
      lists.forEachInCategories(columns.categories(), test);
    }
    for (int o = items.snapshotSize(), all = items.size(); o < all; o++) {
      test.accept(o);
    }
    return allowed;
  }

  private FilterPostings postings() {
    FilterPostings p = postings;
    if (p == null) {
      synchronized (this) {
        p = postings;
        if (p == null) {
          p = FilterPostings.of(items);
          postings = p;
        }
      }
    }
    return p;
  }

  /** Items having every one of {@code attributes}, from the text index's attribute postings. */
  private BitSet attributeMatches(View view, Map<String, String> attributes) throws IOException {
    ItemStore items = view.items();
    BitSet all = null;
    for (Map.Entry<String, String> a : attributes.entrySet()) {
      Term pair =
          new Term(TextFields.ATTRIBUTE_PAIRS, TextFields.attributePair(a.getKey(), a.getValue()));
      BitSet matches = new BitSet(items.size());
      for (LeafReaderContext leaf : view.textSearcher().getIndexReader().leaves()) {
        PostingsEnum postings = leaf.reader().postings(pair, PostingsEnum.NONE);
        if (postings == null) {
          continue;
        }
        for (int doc = postings.nextDoc();
            doc != DocIdSetIterator.NO_MORE_DOCS;
            doc = postings.nextDoc()) {
          matches.set(leaf.docBase + doc);
        }
      }
      if (all == null) {
        all = matches;
      } else {
        all.and(matches);
      }
    }
    return all == null ? new BitSet() : all;
  }
}
