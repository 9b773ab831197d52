package dev.magpie.engine.route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.embed.Embedder;
import dev.magpie.engine.search.ChannelFusion;
import dev.magpie.engine.search.Fusion;
import dev.magpie.engine.search.HybridResult;
import dev.magpie.engine.search.HybridSearcher;
import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.search.SearchReranker;
import dev.magpie.engine.search.SpareCores;
import dev.magpie.engine.search.TermMatch;
import dev.magpie.engine.search.TextSearcher;
import dev.magpie.engine.search.TitleMatch;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.View;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A shard's half of a routed hybrid search: runs both channels over the shard's items and returns
 * every candidate with both channels' scores ({@link ShardCandidates}); the router fuses all
 * shards' together ({@link RoutedSearch}). Then explains the hits the router kept. Thread-safe; one
 * per shard snapshot.
 */
public final class ShardSearcher {
  /** How long a search's text query is kept for explaining its hits. */
  static final Duration KEPT = Duration.ofSeconds(5);

  private final HybridSearcher hybrid;
  private final BehaviourModel behaviour;

  /** Recent searches' text runs, by epoch, request and phase. */
  private final Cache<String, HybridResult.TextExplainer> explainers =
      Caffeine.newBuilder()
          .maximumSize(10_000)
          .expireAfterWrite(KEPT)
          .executor(Runnable::run)
          .build();

  /**
   * A shard searcher over {@code snapshot}.
   *
   * @param embedder embeds query texts (the catalog's model), or null
   */
  public ShardSearcher(Snapshot snapshot, Embedder embedder) {
    this.hybrid = new HybridSearcher(snapshot, embedder, SpareCores.shared());
    this.behaviour = snapshot.behaviour();
  }

  /**
   * This shard's candidates for {@code request} over {@code view}.
   *
   * @param request the search; its k is the number of hits the router will rank (the rerank depth
   *     when it reranks)
   * @param retry the typo phase: {@link TextSearcher.TypoRetry#STRICT} first, {@link
   *     TextSearcher.TypoRetry#TOLERANT} when the router found too few hits over all shards
   */
  public ShardCandidates candidates(
      View view,
      SearchRequest request,
      float[] queryVector,
      Fusion fusion,
      TextSearcher.TypoRetry retry)
      throws IOException {
    HybridSearcher.Gathered g =
        hybrid.gather(view, request.withExplanations(false), queryVector, fusion, retry);
    if (g.textResult() != null) {
      explainers.put(key(view, request, retry), g.explainer());
    }
    if (g.nothingToSearch() != null) {
      return new ShardCandidates(
          true,
          g.searchedText(),
          g.constraints(),
          g.notes(),
          g.fusion(),
          false,
          false,
          false,
          false,
          0,
          List.of());
    }
    ItemStore items = view.items();
    List<ShardCandidates.Candidate> out = new ArrayList<>();
    for (HybridSearcher.Candidate c : g.candidates()) {
      ChannelFusion.Evidence e = c.evidence();
      int ordinal = c.ordinal();
      out.add(
          new ShardCandidates.Candidate(
              items.externalId(ordinal),
              items.catalogPosition(ordinal),
              e.textRank(),
              e.textScore(),
              e.vectorRank(),
              e.vectorScore()));
    }
    return new ShardCandidates(
        false,
        g.searchedText(),
        g.constraints(),
        g.notes(),
        g.fusion(),
        g.textResult() != null,
        g.query() != null,
        g.textResult() != null && g.textResult().typoRetryAllowed(),
        g.textResult() != null && g.textResult().fuzzy(),
        g.textResult() == null ? 0 : g.textResult().totalMatches(),
        out);
  }

  private static String key(View view, SearchRequest request, TextSearcher.TypoRetry retry) {
    return view.epoch()
        + "\u0000"
        + retry
        + "\u0000"
        + request.filters()
        + "\u0000"
        + request.query();
  }

  /**
   * The text matches behind the BM25 score of each of the items {@code ids} (empty for an item not
   * on this shard or matching no word), by the query {@link #candidates} ran in the same phase:
   * kept from that search when it ran on this view's epoch a moment ago, else run again.
   */
  public List<List<TermMatch>> explain(
      View view, SearchRequest request, TextSearcher.TypoRetry retry, List<String> ids)
      throws IOException {
    HybridResult.TextExplainer kept = explainers.getIfPresent(key(view, request, retry));
    List<Integer> ordinals = new ArrayList<>();
    for (String id : ids) {
      ordinals.add(view.items().ordinalOf(id));
    }
    if (kept == null) {
      return hybrid.text().explain(view, request, retry, ordinals);
    }
    return HybridResult.explainKnown(kept, ordinals);
  }

  /**
   * The reranker's features of each of the items {@code ids} that need no other item, for the
   * searched text {@code correctedText} (spelling corrected); null for an item not on this shard.
   */
  public List<float[]> features(View view, String correctedText, List<String> ids) {
    TitleMatch match = SearchReranker.titleMatch(view, correctedText);
    List<float[]> out = new ArrayList<>(ids.size());
    for (String id : ids) {
      int ordinal = view.items().ordinalOf(id);
      out.add(ordinal < 0 ? null : SearchReranker.itemFeatures(view, behaviour, match, ordinal));
    }
    return out;
  }
}
