package dev.magpie.engine.vector;

import dev.magpie.engine.io.ChecksummedFileWriter;
import dev.magpie.engine.io.ChecksummedFileWriter.WrittenFile;
import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.io.MappedFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;
import org.apache.lucene.util.NumericUtils;

/**
 * Approximate nearest-neighbour search over one snapshot's item vectors: an {@link HnswGraph} over
 * {@link Int8Vectors}, both off-heap (mapped from {@code vectors/} or built in memory). Searches
 * may carry a filter, applied during the graph walk: one passing many items lets the walk go
 * through every item and only accepted ones enter the results; one passing under {@value
 * #BRIDGE_BELOW_SHARE} of them is walked by bridging (only passing items are scored, reached
 * through rejected neighbours' neighbours and from a sample of passing items); when the filter
 * accepts few items, or the walk scores as many items as the filter accepts, the search scores
 * every accepted item exactly instead, so a filtered search returns k hits whenever k items pass.
 * The best {@code ef} candidates by int8 score are then rescored ({@link Rescoring}): in a served
 * snapshot with their float vectors read from disk, a positional read each, so that quantization
 * decides only which candidates are considered, not their final order, while a serving process
 * keeps only codes and graph resident (521 bytes a vector at 384 dimensions instead of 2,057).
 * Thread-safe: each thread keeps its own search state.
 */
public final class VectorIndex {
  /** Directory of the vector files inside a snapshot. */
  public static final String DIR = "vectors";

  /** Codes file name. */
  public static final String CODES_FILE = "codes.bin";

  /** Graph file name. */
  public static final String GRAPH_FILE = "graph.bin";

  /**
   * Default beam width of a search: recall@10 of at least 0.95 on the Home Depot title vectors
   * (54,667) and on a million perturbed copies of them, with real shopper queries, the harder case
   * (1 M: 0.938 at ef 100, 0.970 at 200; {@code magpie bench ann}).
   */
  public static final int DEFAULT_EF = 160;

  /** Largest k or ef a search accepts. */
  public static final int MAX_EF = 10_000;

  /** A filter accepting at most this many items is always answered exactly. */
  static final int EXACT_BELOW = 2_000;

  /**
   * A bit-set filter passing at most this many items is answered exactly: its items are read in
   * ordinal order, about 110 ns each at a million 384-dimension items, so 16,000 cost about what a
   * bridging walk does, with every true neighbour (1 M synthetic items, brand filters: recall@10 of
   * all filtered searches 0.969 at 2,000, 0.985 at 16,000; mean 1.75 ms against 2.16).
   */
  static final int EXACT_BELOW_LISTED = 16_000;

  /**
   * A filter passing less than this share of the items is walked by bridging through rejected
   * neighbours, scoring only passing items; above it, the plain walk scores all it meets, which
   * costs about the same at 10 % of items passing uniformly and less above (1 M synthetic items:
   * 2.3 ms against 3.0 at 10 %, 0.8 against 2.2 at 30 %), but ten times as much where the passing
   * items cluster (a brand: 12.9 ms against 1.2).
   */
  static final double BRIDGE_BELOW_SHARE = 0.1;

  /**
   * A bridging walk keeps this many times the beam width: it scores only passing items, so it
   * affords a wider beam, and it needs one where the passing items cluster apart (recall@10 on 1 M
   * synthetic items with brand filters 0.79 at x1, 0.90 at x2, 0.95 at x3).
   */
  static final int BRIDGE_EF_FACTOR = 3;

  /** Passing items sampled to seed a bridging walk. */
  static final int SEED_SAMPLE = 512;

  /** The best sampled items a bridging walk starts from, beside the greedy descent's end. */
  static final int SEEDS = 16;

  /** Items a predicate is tried on per sampled stretch of ordinals when seeding. */
  static final int SEED_PROBES = 64;

  /** Items an exact scan scores together ({@link VectorScorer#score(int[], int, int[])}). */
  static final int EXACT_BATCH = 64;

  /** Items a predicate filter is tried on to estimate how many it accepts. */
  static final int FILTER_SAMPLE = 4_096;

  private final Int8Vectors vectors;
  private final BinaryVectors bits;
  private final boolean walkBits;
  private final HnswGraph graph;
  private final IntPredicate hasVector;
  private final MemorySegment floats;
  private final Rescoring rescoring;
  private final FloatRowsOnDisk onDisk;
  private final ThreadLocal<HnswSearch> searches;

  /** How the best {@code ef} candidates of a walk or scan are scored for their final order. */
  public enum Rescoring {
    /**
     * Each candidate's float vector read from the snapshot's file ({@link FloatRowsOnDisk}), never
     * kept resident: what a snapshot serves. The same scores as {@link #FULL_PRECISION}.
     */
    FLOATS_ON_DISK,
    /** Each candidate's float vector, mapped (they must be at hand, and stay resident). */
    FULL_PRECISION,
    /**
     * Full-precision query against each candidate's codes, length-corrected: no floats at all
     * (recall@10 at ef 160 with 500 real queries: Home Depot 0.981 against 0.992 with the floats, a
     * million perturbed vectors 0.945 against 0.966).
     */
    CORRECTED_CODES,
    /** None: the int8 code dot product orders them (a benchmark's lower bound). */
    NONE
  }

  /** Vectors of items added live, scanned exactly by every search; one writer, published whole. */
  private volatile Appended appended = new Appended(0, new int[0], new float[0]);

  /**
   * Items added live since the graph was built: the first {@code count} of {@code ordinals}
   * (ascending, after the graph's) and their vectors, row after row in {@code rows}, prepared like
   * a query ({@link VectorSimilarity#prepare}) so a dot product scores them. The writer fills the
   * row after the last published one and then publishes a larger count (new arrays only when full),
   * so a reader never sees a row change. Scanned exactly with SIMD by every search.
   */
  private record Appended(int count, int[] ordinals, float[] rows) {}

  /**
   * An index over {@code vectors} and {@code graph}.
   *
   * @param hasVector which ordinals have a vector (exact search skips the others)
   * @param floats the full-precision vectors as given (rows of dim little-endian floats, by
   *     ordinal) for rescoring, or null to rescore from the codes ({@link
   *     Rescoring#CORRECTED_CODES})
   */
  public VectorIndex(
      Int8Vectors vectors, HnswGraph graph, IntPredicate hasVector, MemorySegment floats) {
    this(vectors, null, false, graph, hasVector, floats, rescoringWith(floats), null);
  }

  /** Rescoring with {@code floats} where given, else from the codes. */
  private static Rescoring rescoringWith(MemorySegment floats) {
    return floats == null ? Rescoring.CORRECTED_CODES : Rescoring.FULL_PRECISION;
  }

  /**
   * An index with binary codes ({@code bits}, or null), walking them when {@code walkBits}, its
   * candidates rescored as {@code rescoring} says ({@code floats} are needed for {@link
   * Rescoring#FULL_PRECISION} only).
   */
  VectorIndex(
      Int8Vectors vectors,
      BinaryVectors bits,
      boolean walkBits,
      HnswGraph graph,
      IntPredicate hasVector,
      MemorySegment floats,
      Rescoring rescoring,
      FloatRowsOnDisk onDisk) {
    if (rescoring == Rescoring.FULL_PRECISION && floats == null) {
      throw new IllegalArgumentException("rescoring with full-precision vectors needs them");
    }
    if (rescoring == Rescoring.FLOATS_ON_DISK && onDisk == null) {
      throw new IllegalArgumentException("rescoring with the floats on disk needs their file");
    }
    this.rescoring = rescoring;
    if (onDisk != null && (onDisk.count() < vectors.count() || onDisk.dim() != vectors.dim())) {
      throw new IllegalArgumentException(
          "vectors on disk: "
              + onDisk.count()
              + " x "
              + onDisk.dim()
              + " for "
              + vectors.count()
              + " x "
              + vectors.dim());
    }
    this.onDisk = onDisk;
    if (bits != null && (bits.count() != vectors.count() || bits.dim() != vectors.dim())) {
      throw new IllegalArgumentException(
          "binary codes of "
              + bits.count()
              + " x "
              + bits.dim()
              + " for "
              + vectors.count()
              + " x "
              + vectors.dim()
              + " vectors");
    }
    this.bits = bits;
    this.walkBits = walkBits;
    if (floats != null && floats.byteSize() < 4L * vectors.dim() * vectors.count()) {
      throw new IllegalArgumentException(
          "full-precision vectors: "
              + floats.byteSize()
              + " bytes for "
              + vectors.count()
              + " x "
              + vectors.dim());
    }
    this.floats = floats == null ? null : Int8DotProduct.plain(floats);
    if (vectors.count() != graph.nodes()) {
      throw new IllegalArgumentException(
          vectors.count() + " vectors but " + graph.nodes() + " graph nodes");
    }
    this.vectors = vectors;
    this.graph = graph;
    this.hasVector = hasVector;
    this.searches = ThreadLocal.withInitial(() -> new HnswSearch(graph.nodes(), DEFAULT_EF));
  }

  /**
   * Maps and verifies {@code dir}'s codes and graph; {@code arena} owns the mappings. With {@code
   * floats} the candidates are rescored with them, without from their codes.
   */
  public static VectorIndex open(
      Path dir, Arena arena, IntPredicate hasVector, MemorySegment floats, boolean verifyChecksums)
      throws IOException {
    MappedFile codes =
        MappedFile.open(
            dir.resolve(CODES_FILE), arena, Int8Vectors.KIND, Int8Vectors.VERSION, verifyChecksums);
    int count = Math.toIntExact(codes.param(0));
    int dim = Math.toIntExact(codes.param(1));
    float scale = Float.intBitsToFloat((int) codes.param(2));
    int similarity = (int) codes.param(3);
    codes.require(
        dim > 0 && (long) count * dim <= codes.body().byteSize(),
        "vector codes: " + count + " rows of " + dim + " bytes in " + codes.body().byteSize());
    codes.require(
        scale > 0 && similarity >= 0 && similarity < VectorSimilarity.values().length,
        "vector codes: scale " + scale + ", similarity " + similarity);
    MappedFile graphFile =
        MappedFile.open(
            dir.resolve(GRAPH_FILE), arena, HnswGraph.KIND, HnswGraph.VERSION, verifyChecksums);
    HnswGraph graph;
    try {
      graph = new HnswGraph(graphFile.body());
    } catch (IllegalArgumentException e) {
      throw new CorruptFileException(graphFile.path(), e.getMessage());
    }
    Int8Vectors vectors =
        new Int8Vectors(
            codes.body(),
            count,
            dim,
            new Int8Quantizer(scale),
            VectorSimilarity.values()[similarity]);
    Path bitsFile = dir.resolve(BinaryVectors.FILE);
    BinaryVectors bits =
        Files.exists(bitsFile) ? BinaryVectors.open(bitsFile, arena, verifyChecksums) : null;
    return new VectorIndex(
        vectors, bits, false, graph, hasVector, floats, rescoringWith(floats), null);
  }

  /**
   * A view of this index whose graph walks score nodes by their binary codes (48 bytes a vector at
   * 384 dimensions, instead of 384), rescoring the best ef with the int8 codes and then, where at
   * hand, the full-precision vectors. Exact scans still use the int8 codes.
   *
   * @throws IllegalStateException if the index has no binary codes (built before they existed)
   */
  public VectorIndex walkingBinaryCodes() {
    if (bits == null) {
      throw new IllegalStateException(
          "this vector index has no binary codes (" + BinaryVectors.FILE + ")");
    }
    return new VectorIndex(vectors, bits, true, graph, hasVector, floats, rescoring, onDisk);
  }

  /** A view of this index whose candidates are rescored as {@code how} says. */
  public VectorIndex rescoring(Rescoring how) {
    return new VectorIndex(vectors, bits, walkBits, graph, hasVector, floats, how, onDisk);
  }

  /**
   * A view of this index that rescores its candidates with their float vectors read from {@code
   * rows} ({@link Rescoring#FLOATS_ON_DISK}): the scores and order of resident floats without the
   * floats resident, for about 1.3 us a candidate (a positional read from the page cache).
   */
  public VectorIndex withRowsOnDisk(FloatRowsOnDisk rows) {
    return new VectorIndex(
        vectors, bits, walkBits, graph, hasVector, floats, Rescoring.FLOATS_ON_DISK, rows);
  }

  /** How this index orders its candidates. */
  public Rescoring rescoring() {
    return rescoring;
  }

  /** Writes this index's codes, graph and binary codes (when it has them) into {@code dir}. */
  public List<WrittenFile> write(Path dir) throws IOException {
    List<WrittenFile> files = new ArrayList<>();
    try (ChecksummedFileWriter out =
        ChecksummedFileWriter.create(
            dir.resolve(CODES_FILE), Int8Vectors.KIND, Int8Vectors.VERSION)) {
      out.writeSegment(vectors.codes().asSlice(0, (long) vectors.count() * vectors.dim()));
      out.alignTo(8);
      files.add(
          out.finish(
              vectors.count(),
              vectors.dim(),
              Float.floatToIntBits(vectors.quantizer().scale()),
              vectors.similarity().ordinal()));
    }
    try (ChecksummedFileWriter out =
        ChecksummedFileWriter.create(dir.resolve(GRAPH_FILE), HnswGraph.KIND, HnswGraph.VERSION)) {
      out.writeSegment(graph.body());
      out.alignTo(8);
      files.add(out.finish(graph.nodes(), graph.levels(), graph.entry(), graph.m()));
    }
    if (bits != null) {
      files.add(bits.write(dir.resolve(BinaryVectors.FILE)));
    }
    return files;
  }

  /** The codes. */
  public Int8Vectors vectors() {
    return vectors;
  }

  /** The graph. */
  public HnswGraph graph() {
    return graph;
  }

  /** Items with a vector in the graph. */
  public int linked() {
    int linked = 0;
    for (int i = 0; i < vectors.count(); i++) {
      if (hasVector.test(i)) {
        linked++;
      }
    }
    return linked;
  }

  /** Dimension queries must have. */
  public int dim() {
    return vectors.dim();
  }

  /**
   * The {@code k} items most similar to {@code query}.
   *
   * @param query a vector of {@link #dim()} finite values (for cosine, any non-zero length)
   * @param ef beam width, raised to k when smaller
   * @param filter the ordinals allowed, or null for all
   * @throws IllegalArgumentException naming a wrong dimension, a value that is not finite, or k /
   *     ef out of range
   */
  public VectorResult search(float[] query, int k, int ef, BitSet filter) {
    return search(query, k, ef, filter, Integer.MAX_VALUE);
  }

  /**
   * As {@link #search(float[], int, int, BitSet)}, among the items with ordinals below {@code
   * visible} only: a reader's epoch bounds the items added live that it may see.
   */
  public VectorResult search(float[] query, int k, int ef, BitSet filter, int visible) {
    float[] prepared = prepare(query, k, ef);
    byte[] q = vectors.quantizer().quantize(prepared);
    int width = Math.max(ef, k);
    if (filter == null) {
      return withAppended(
          graphSearch(prepared, q, k, width, null, Long.MAX_VALUE, null, false),
          prepared,
          k,
          null,
          visible);
    }
    return withAppended(
        filtered(prepared, q, k, width, filter::get, filter.cardinality(), filter),
        prepared,
        k,
        filter::get,
        visible);
  }

  /**
   * The {@code k} items most similar to {@code query} among those {@code filter} accepts. The
   * filter is asked during the walk, so it may read live values; how many items it accepts is
   * estimated from {@value #FILTER_SAMPLE} items spread over the ordinals (all of them in a small
   * index), and decides between the graph and an exact scan as for a bit set.
   *
   * @see #search(float[], int, int, BitSet)
   */
  public VectorResult searchFiltered(float[] query, int k, int ef, IntPredicate filter) {
    return searchFiltered(query, k, ef, filter, Integer.MAX_VALUE);
  }

  /**
   * As {@link #searchFiltered(float[], int, int, IntPredicate)}, among the items with ordinals
   * below {@code visible} only (the filter is never asked about the others).
   */
  public VectorResult searchFiltered(
      float[] query, int k, int ef, IntPredicate filter, int visible) {
    Objects.requireNonNull(filter, "filter");
    float[] prepared = prepare(query, k, ef);
    byte[] q = vectors.quantizer().quantize(prepared);
    int width = Math.max(ef, k);
    return withAppended(
        filtered(prepared, q, k, width, filter, estimateAccepted(filter), null),
        prepared,
        k,
        filter,
        visible);
  }

  /**
   * Adds the vector of item {@code ordinal}, added live, to every later search (an exact scan; the
   * graph takes it in at the next snapshot). Ordinals must come after the graph's and each other.
   * Writer only.
   *
   * @throws IllegalArgumentException for a wrong dimension, a value that is not finite, or a zero
   *     vector under cosine
   */
  public void append(int ordinal, float[] vector) {
    Appended a = appended;
    int n = a.count();
    int last = n == 0 ? vectors.count() - 1 : a.ordinals()[n - 1];
    if (ordinal <= last) {
      throw new IllegalArgumentException(
          "vector of item " + ordinal + " appended after item " + last);
    }
    float[] prepared = prepare(vector, 1, 1);
    int dim = vectors.dim();
    int[] ordinals = a.ordinals();
    float[] rows = a.rows();
    if (n == ordinals.length) {
      int capacity = Math.max(16, n * 2);
      ordinals = Arrays.copyOf(ordinals, capacity);
      rows = Arrays.copyOf(rows, capacity * dim);
    }
    ordinals[n] = ordinal;
    System.arraycopy(prepared, 0, rows, n * dim, dim);
    appended = new Appended(n + 1, ordinals, rows);
  }

  /**
   * Why {@link #append} would refuse {@code vector} (wrong dimension, a value that is not finite, a
   * zero vector under cosine), or null when it would take it.
   */
  public String whyRejected(float[] vector) {
    try {
      prepare(vector, 1, 1);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** Vectors added live so far. */
  public int appendedCount() {
    return appended.count();
  }

  /**
   * {@code found} merged with the best of the added items {@code accept} passes (all when null).
   */
  private VectorResult withAppended(
      VectorResult found, float[] prepared, int k, IntPredicate accept, int visible) {
    Appended a = appended;
    if (a.count() == 0) {
      return found;
    }
    ScoredNodes top = new ScoredNodes(k + 1);
    for (int i = 0; i < found.size(); i++) {
      top.push(
          ScoredNodes.pack(
              NumericUtils.floatToSortableInt(found.scores()[i]), found.ordinals()[i]));
    }
    long scored = found.scored();
    for (int i = 0; i < a.count(); i++) {
      int ordinal = a.ordinals()[i];
      if (ordinal >= visible) {
        break; // added after the reader's epoch (ordinals ascend)
      }
      if (accept != null && !accept.test(ordinal)) {
        continue;
      }
      scored++;
      float similarity = FloatDotProduct.dot(a.rows(), i * vectors.dim(), prepared);
      top.pushBounded(ScoredNodes.pack(NumericUtils.floatToSortableInt(similarity), ordinal), k);
    }
    while (top.size() > k) {
      top.pop();
    }
    long[] best = top.drainBestFirst();
    int[] ordinals = new int[best.length];
    float[] scores = new float[best.length];
    for (int i = 0; i < best.length; i++) {
      ordinals[i] = ScoredNodes.node(best[i]);
      scores[i] = NumericUtils.sortableIntToFloat(ScoredNodes.score(best[i]));
    }
    return new VectorResult(ordinals, scores, found.exact(), scored);
  }

  /**
   * Graph search when enough items pass, exact search when few do or the walk finds fewer than k.
   */
  private VectorResult filtered(
      float[] prepared,
      byte[] q,
      int k,
      int width,
      IntPredicate accept,
      long accepted,
      BitSet allowed) {
    if (accepted <= Math.max(allowed != null ? EXACT_BELOW_LISTED : EXACT_BELOW, width)) {
      return exact(prepared, q, k, width, accept, allowed);
    }
    boolean bridging = accepted < BRIDGE_BELOW_SHARE * vectors.count();
    VectorResult approximate =
        graphSearch(
            prepared,
            q,
            k,
            bridging ? width * BRIDGE_EF_FACTOR : width,
            accept,
            accepted,
            bridging ? allowed : null,
            bridging);
    if (approximate != null && approximate.size() >= Math.min(k, accepted)) {
      return approximate;
    }
    return exact(prepared, q, k, width, accept, allowed);
  }

  /** How many linked items {@code accept} passes: counted in a small index, else sampled. */
  private long estimateAccepted(IntPredicate accept) {
    int count = vectors.count();
    int step = Math.max(1, count / FILTER_SAMPLE);
    long passed = 0;
    long sampled = 0;
    for (long i = 0; i < count; i += step) {
      sampled++;
      if (hasVector.test((int) i) && accept.test((int) i)) {
        passed++;
      }
    }
    return sampled == 0 ? 0 : Math.round(passed * (double) count / sampled);
  }

  private float[] prepare(float[] query, int k, int ef) {
    if (k < 1 || k > MAX_EF || ef < 1 || ef > MAX_EF) {
      throw new IllegalArgumentException(
          "k and ef must be 1 to " + MAX_EF + ", got k " + k + ", ef " + ef);
    }
    if (query.length != vectors.dim()) {
      throw new IllegalArgumentException(
          "query vector has " + query.length + " dimensions, the index has " + vectors.dim());
    }
    for (int i = 0; i < query.length; i++) {
      if (!Float.isFinite(query[i])) {
        throw new IllegalArgumentException("query vector element " + i + " is " + query[i]);
      }
    }
    return vectors.similarity().prepare(query);
  }

  /**
   * Graph search; null when it gave up after {@code visitLimit} scored nodes. Bridging walks only
   * the nodes {@code accept} passes ({@link HnswSearch#searchLevelBridging}).
   */
  private VectorResult graphSearch(
      float[] prepared,
      byte[] q,
      int k,
      int ef,
      IntPredicate accept,
      long visitLimit,
      BitSet allowed,
      boolean bridging) {
    int entry = graph.entry();
    if (entry < 0) {
      return new VectorResult(new int[0], new float[0], false, 0);
    }
    HnswSearch search = searches.get();
    VectorScorer scorer = walkBits ? bits.scorer(bits.encode(prepared)) : vectors.scorer(q);
    long at = ScoredNodes.pack(scorer.score(entry), entry);
    for (int l = graph.levels() - 1; l > 0; l--) {
      at = search.greedy(graph, scorer, at, l);
    }
    long[] entries = bridging ? bridgingEntries(at, scorer, accept, allowed) : new long[] {at};
    if (!(bridging
        ? search.searchLevelBridging(
            graph, scorer, entries, entries.length, ef, 0, accept, visitLimit)
        : search.searchLevel(graph, scorer, entries, 1, ef, 0, accept, visitLimit))) {
      return null;
    }
    long[] best = new long[search.results.size()];
    int n = search.drainBestFirst(best);
    if (walkBits) {
      // Bits chose the candidates; their int8 scores order them (and rescoring, when it follows).
      for (int i = 0; i < n; i++) {
        int node = ScoredNodes.node(best[i]);
        best[i] = ScoredNodes.pack(vectors.score(node, q), node);
      }
      ScoredNodes.sortBestFirst(best, n);
    }
    return result(prepared, best, n, k, false, search.visitedCount());
  }

  /**
   * Where a bridging walk starts: the end of the greedy descent plus the best {@value #SEEDS} of up
   * to {@value #SEED_SAMPLE} passing items spread over the ordinals. The descent ignores the
   * filter; when the passing items cluster apart from the rest (a brand's few product lines among
   * many brands' similar ones), two hops from where it ends may not reach them, but a sample of
   * them does.
   */
  private long[] bridgingEntries(
      long at, VectorScorer scorer, IntPredicate accept, BitSet allowed) {
    ScoredNodes best = new ScoredNodes(SEEDS + 1);
    samplePassing(
        vectors.count(),
        SEED_SAMPLE,
        allowed,
        o -> hasVector.test(o) && accept.test(o),
        found -> {
          if (found != ScoredNodes.node(at)) {
            best.pushBounded(ScoredNodes.pack(scorer.score(found), found), SEEDS);
          }
        });
    long[] entries = new long[best.size() + 1];
    entries[0] = at;
    for (int i = 1; i < entries.length; i++) {
      entries[i] = best.pop();
    }
    return entries;
  }

  /**
   * Hands {@code sampled} at most one passing ordinal from each of about {@code stretches} equal
   * stretches of {@code [0, count)}: the first set in {@code allowed} that {@code passes} (one per
   * stretch that holds any set bit; each bit-set word read once), or without a bit set the first
   * that passes among the stretch's first {@value #SEED_PROBES}.
   */
  static void samplePassing(
      int count, int stretches, BitSet allowed, IntPredicate passes, IntConsumer sampled) {
    int stride = Math.max(1, count / stretches);
    for (int from = 0; from < count; from += stride) {
      int end = (int) Math.min(count, (long) from + stride);
      if (allowed != null) {
        int next = allowed.nextSetBit(from);
        if (next < 0) {
          return;
        }
        if (next >= end) { // on to the stretch that holds it
          from = next - next % stride - stride;
          continue;
        }
        if (passes.test(next)) {
          sampled.accept(next);
        }
      } else {
        for (int i = from, probes = 0; i < end && probes < SEED_PROBES; i++, probes++) {
          if (passes.test(i)) {
            sampled.accept(i);
            break;
          }
        }
      }
    }
  }

  /**
   * Scores every accepted item with a vector: those set in {@code allowed}, or all ordinals when
   * null.
   */
  private VectorResult exact(
      float[] prepared, byte[] q, int k, int width, IntPredicate accept, BitSet allowed) {
    ScoredNodes top = new ScoredNodes(width + 1);
    long scored = 0;
    int count = vectors.count();
    VectorScorer scorer = vectors.scorer(q);
    int[] batch = new int[EXACT_BATCH];
    int[] scores = new int[EXACT_BATCH];
    int batched = 0;
    for (int i = allowed == null ? 0 : allowed.nextSetBit(0);
        i >= 0 && i < count;
        i = allowed == null ? i + 1 : allowed.nextSetBit(i + 1)) {
      if (!hasVector.test(i) || !accept.test(i)) {
        continue;
      }
      batch[batched++] = i;
      if (batched == EXACT_BATCH) {
        pushScored(scorer, batch, batched, scores, top, width);
        scored += batched;
        batched = 0;
      }
    }
    pushScored(scorer, batch, batched, scores, top, width);
    scored += batched;
    long[] best = top.drainBestFirst();
    return result(prepared, best, best.length, k, true, scored);
  }

  /**
   * Scores {@code nodes[0..count)} together and keeps the best {@code width} of them in {@code
   * top}.
   */
  private static void pushScored(
      VectorScorer scorer, int[] nodes, int count, int[] scores, ScoredNodes top, int width) {
    scorer.score(nodes, count, scores);
    for (int j = 0; j < count; j++) {
      top.pushBounded(ScoredNodes.pack(scores[j], nodes[j]), width);
    }
  }

  /**
   * The best {@code k} of {@code n} candidates (best first by code score), rescored when possible.
   */
  private VectorResult result(
      float[] prepared, long[] best, int n, int k, boolean exact, long visited) {
    if (rescoring == Rescoring.NONE) {
      int count = Math.min(k, n);
      int[] ordinals = new int[count];
      float[] scores = new float[count];
      for (int i = 0; i < count; i++) {
        ordinals[i] = ScoredNodes.node(best[i]);
        scores[i] = vectors.quantizer().similarity(ScoredNodes.score(best[i]));
      }
      return new VectorResult(ordinals, scores, exact, visited);
    }
    long[] rescored = new long[n];
    float[] row = rowBuffer();
    for (int i = 0; i < n; i++) {
      int node = ScoredNodes.node(best[i]);
      // Sortable bits of the float, then the node: the long order is the score order.
      rescored[i] =
          ScoredNodes.pack(NumericUtils.floatToSortableInt(rescore(prepared, node, row)), node);
    }
    ScoredNodes.sortBestFirst(rescored, n);
    int count = Math.min(k, n);
    int[] ordinals = new int[count];
    float[] scores = new float[count];
    for (int i = 0; i < count; i++) {
      ordinals[i] = ScoredNodes.node(rescored[i]);
      scores[i] = NumericUtils.sortableIntToFloat(ScoredNodes.score(rescored[i]));
    }
    return new VectorResult(ordinals, scores, exact, visited);
  }

  /**
   * The similarity of each of {@code ordinals} with {@code query}, as this index rescores its
   * candidates (exactly, from the floats mapped or read from disk, where it has them), so that an
   * item scores the same however it was found; 0 for an item without a vector: for scoring items
   * found another way.
   *
   * @throws IllegalArgumentException as {@link #search(float[], int, int, BitSet)} for a bad query
   */
  public float[] similarities(float[] query, int[] ordinals) {
    float[] prepared = prepare(query, 1, 1);
    byte[] q = rescoring == Rescoring.NONE ? vectors.quantizer().quantize(prepared) : null;
    float[] out = new float[ordinals.length];
    float[] row = rowBuffer();
    Appended a = appended;
    for (int i = 0; i < ordinals.length; i++) {
      int node = ordinals[i];
      if (node >= vectors.count()) {
        int at = Arrays.binarySearch(a.ordinals(), 0, a.count(), node);
        out[i] = at < 0 ? 0f : FloatDotProduct.dot(a.rows(), at * vectors.dim(), prepared);
      } else if (hasVector.test(node)) {
        out[i] =
            q == null
                ? rescore(prepared, node, row)
                : vectors.quantizer().similarity(vectors.score(node, q));
      }
    }
    return out;
  }

  /** Room for one vector read from disk, when this index reads them; else null. */
  private float[] rowBuffer() {
    return rescoring == Rescoring.FLOATS_ON_DISK ? new float[vectors.dim()] : null;
  }

  /** {@code node}'s exact similarity, its floats read from disk into {@code row}. */
  private float diskSimilarity(float[] prepared, int node, float[] row) {
    onDisk.read(node, row);
    float dot = FloatDotProduct.dot(row, 0, prepared);
    return cosine() ? byLength(dot, FloatDotProduct.dot(row, 0, row)) : dot;
  }

  /**
   * The similarity of {@code node} with the prepared query, as {@link #rescoring} says ({@code
   * row}: room for a vector read from disk).
   */
  private float rescore(float[] prepared, int node, float[] row) {
    return switch (rescoring) {
      case FLOATS_ON_DISK -> diskSimilarity(prepared, node, row);
      case FULL_PRECISION -> exactSimilarity(prepared, node);
      case CORRECTED_CODES, NONE -> vectors.correctedSimilarity(node, prepared);
    };
  }

  /** The similarity of {@code node}'s full-precision vector with the prepared query. */
  private float exactSimilarity(float[] prepared, int node) {
    long offset = 4L * vectors.dim() * node;
    float dot = FloatDotProduct.dot(floats, offset, prepared);
    return cosine()
        ? byLength(dot, FloatDotProduct.squaredNorm(floats, offset, vectors.dim()))
        : dot;
  }

  /**
   * Whether the vectors are compared by cosine: a vector as given is then divided by its length.
   */
  private boolean cosine() {
    return vectors.similarity() == VectorSimilarity.COSINE;
  }

  /**
   * {@code dot} divided by the length of the vector whose squared length is {@code squaredNorm}.
   */
  private static float byLength(float dot, float squaredNorm) {
    return squaredNorm > 0 ? dot / (float) Math.sqrt(squaredNorm) : 0f;
  }
}
