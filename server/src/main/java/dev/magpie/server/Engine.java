package dev.magpie.server;

import dev.magpie.engine.RefCount;
import dev.magpie.engine.agent.BasketCompleter;
import dev.magpie.engine.agent.ItemComparer;
import dev.magpie.engine.embed.Embedder;
import dev.magpie.engine.live.LiveApplier;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.recommend.Recommender;
import dev.magpie.engine.recommend.UserProfiles;
import dev.magpie.engine.route.ShardSearcher;
import dev.magpie.engine.search.HybridSearcher;
import dev.magpie.engine.search.SearchReranker;
import dev.magpie.engine.search.SpareCores;
import dev.magpie.engine.shard.Shard;
import dev.magpie.engine.snapshot.Snapshot;
import java.time.Duration;

/**
 * The engine objects over one snapshot, shared by every call that runs on it, and reference counted
 * so that a reload never closes a snapshot under a call: the server holds one reference while the
 * engine is current, each call holds one while it runs ({@link #tryAcquire()} / {@link
 * #release()}), and the snapshot is closed when the last is released. Thread-safe.
 */
final class Engine {
  /** Answers kept at most. */
  static final long CACHE_ENTRIES = 10_000;

  final Snapshot snapshot;

  /** The shard the snapshot is, or null for a whole catalog. */
  final Shard shard;

  final HybridSearcher searcher;
  final ShardSearcher shardSearcher;
  final SearchReranker reranker;
  final Recommender recommender;
  final String searchModel;
  final String recommendModel;
  final AnswerCache answers;
  final LiveApplier live;
  final ItemComparer comparer;
  final BasketCompleter baskets;

  /**
   * The model that embedded the catalog, which embeds queries and items added live; null when none
   * is at hand or the catalog brought its own vectors.
   */
  final Embedder itemEmbedder;

  private final RefCount references;

  /** The engine over {@code snapshot} (owned from now on), holding the server's reference. */
  Engine(
      Snapshot snapshot, Embedder embedder, RankingModel searchModel, RankingModel recommendModel) {
    this(snapshot, embedder, searchModel, recommendModel, Duration.ZERO);
  }

  /** As above, keeping search answers for {@code cacheTtl} (zero: shared only while in flight). */
  Engine(
      Snapshot snapshot,
      Embedder embedder,
      RankingModel searchModel,
      RankingModel recommendModel,
      Duration cacheTtl) {
    this.snapshot = snapshot;
    this.references = new RefCount("engine over " + snapshot.dir(), snapshot::close);
    // Only the model that embedded the catalog embeds its queries and new items; a catalog that
    // brought its own vectors is searched by the vectors callers send.
    String catalogModel = snapshot.manifest().build().get(Embedder.MANIFEST_PARAMETER);
    this.itemEmbedder =
        embedder != null && snapshot.vectors() != null && embedder.name().equals(catalogModel)
            ? embedder
            : null;
    this.searcher = new HybridSearcher(snapshot, itemEmbedder, SpareCores.shared());
    this.shardSearcher = new ShardSearcher(snapshot, itemEmbedder);
    this.reranker = new SearchReranker(snapshot, searchModel);
    this.shard = Shard.of(snapshot.manifest().build());
    this.recommender =
        new Recommender(
            snapshot,
            new UserProfiles(
                snapshot::items, snapshot.userHistories(), shard == null ? 0 : shard.index()),
            recommendModel);
    this.searchModel = searchModel.name();
    this.recommendModel = recommendModel.name();
    this.answers = new AnswerCache(cacheTtl, CACHE_ENTRIES);
    this.live = new LiveApplier(snapshot, recommender.profiles());
    this.comparer = new ItemComparer(snapshot, recommender.profiles());
    this.baskets = new BasketCompleter(snapshot::items, recommender);
  }

  /**
   * Called by the single writer after applying a commit: publishes everything it changed as the
   * snapshot's next view, at once; calls that start later read it, calls in flight keep theirs.
   */
  void advance() {
    live.publish();
  }

  /** Takes a reference for a call; false when the engine has already been closed. */
  boolean tryAcquire() {
    return references.tryAcquire();
  }

  /** Gives a reference back; the last one closes the snapshot. */
  void release() {
    references.release();
  }

  /** Whether the snapshot has been closed (every reference given back). */
  boolean closed() {
    return references.released();
  }
}
