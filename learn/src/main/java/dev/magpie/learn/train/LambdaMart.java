package dev.magpie.learn.train;

import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.rank.TreeEnsemble;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.eclipse.collections.api.list.primitive.MutableIntList;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

/**
 * Boosts a ranking model with regression trees by LambdaMART (Burges, "From RankNet to LambdaRank
 * to LambdaMART", 2010): each round, every pair of a query's candidates with different gains pulls
 * the better one up and the other down, by how much swapping them would change nDCG@k (the lambdas,
 * with their second derivatives as weights); a tree with at most {@code leaves} leaves is fitted to
 * them (histogram splits over at most 255 bins per feature, grown best leaf first, Newton leaf
 * values shrunk by the learning rate), and added to every candidate's score. The trees start from a
 * given model's scores (a linear model: the trees learn what it misses) and stop when nDCG@k on the
 * validation queries has not improved for {@code patience} rounds; the best round's trees are kept.
 * Deterministic.
 */
public final class LambdaMart {
  /**
   * How the trees are grown.
   *
   * @param maxTrees the most rounds
   * @param leaves the most leaves per tree
   * @param learningRate how much of each tree's Newton step is taken
   * @param minLeafRows the fewest candidates a leaf may hold
   * @param l2 regularisation of leaf values (added to the sum of weights)
   * @param patience rounds without a better validation nDCG before stopping
   * @param k the cut-off of the nDCG optimised
   */
  public record Settings(
      int maxTrees,
      int leaves,
      float learningRate,
      int minLeafRows,
      double l2,
      int patience,
      int k) {
    /** What magpie train uses unless told otherwise. */
    public static final Settings DEFAULT = new Settings(1000, 15, 0.05f, 50, 1.0, 100, 10);
  }

  private static final int MAX_BINS = 255;

  private final List<Feature> features;
  private final Settings settings;

  /** A booster over {@code features} grown as {@code settings} say. */
  public LambdaMart(List<Feature> features, Settings settings) {
    this.features = List.copyOf(features);
    this.settings = settings;
  }

  /**
   * What fitting found.
   *
   * @param model the start model (rescaled) plus the kept trees
   * @param rounds the trees kept
   * @param validationNdcg nDCG@k on the validation examples with those trees
   */
  public record Fit(RankingModel model, int rounds, double validationNdcg) {}

  /**
   * {@code start} plus the trees fitted on {@code train}, named {@code name}; the number of trees
   * is the one that scored best on {@code validation}.
   */
  public Fit fit(
      RankingModel linear,
      List<RankingExample> train,
      List<RankingExample> validation,
      String name) {
    RankingModel start = unitSpread(linear, train);
    Rows rows = new Rows(train, start);
    Rows held = new Rows(validation, start);
    byte[][] bins = new byte[features.size()][];
    float[][] thresholds = new float[features.size()][];
    for (int j = 0; j < features.size(); j++) {
      thresholds[j] = thresholds(rows, features.get(j).ordinal());
      bins[j] = bin(rows, features.get(j).ordinal(), thresholds[j]);
    }
    List<TreeEnsemble.Tree> trees = new ArrayList<>();
    double best = held.ndcg(settings.k());
    int bestRounds = 0;
    double[] lambda = new double[rows.size()];
    double[] weight = new double[rows.size()];
    for (int round = 0;
        round < settings.maxTrees() && round - bestRounds < settings.patience();
        round++) {
      int[] active = lambdas(rows, lambda, weight);
      if (active.length == 0) {
        break;
      }
      TreeEnsemble.Tree tree = grow(active, lambda, weight, bins, thresholds);
      trees.add(tree);
      rows.add(tree);
      held.add(tree);
      double ndcg = held.ndcg(settings.k());
      if (ndcg > best + 1e-9) {
        best = ndcg;
        bestRounds = trees.size();
      }
    }
    TreeEnsemble ensemble = new TreeEnsemble(trees.subList(0, bestRounds));
    return new Fit(new RankingModel(name, start.weights(), ensemble), bestRounds, best);
  }

  /**
   * {@code model} with its weights scaled so that its scores spread by about 1 within a query (the
   * order is unchanged). The lambdas' sigmoid and the trees' steps assume that scale: from a model
   * whose candidates differ by hundredths, the first tree would reorder everything.
   */
  static RankingModel unitSpread(RankingModel model, List<RankingExample> examples) {
    double spread = 0;
    int counted = 0;
    for (RankingExample e : examples) {
      int n = e.features().length;
      if (n < 2) {
        continue;
      }
      double sum = 0;
      double squares = 0;
      for (float[] x : e.features()) {
        double s = model.score(x);
        sum += s;
        squares += s * s;
      }
      double mean = sum / n;
      spread += Math.sqrt(Math.max(0, squares / n - mean * mean));
      counted++;
    }
    if (counted == 0 || spread == 0) {
      return model;
    }
    float scale = (float) (counted / spread);
    Map<Feature, Float> weights = new EnumMap<>(Feature.class);
    model.weights().forEach((f, w) -> weights.put(f, w * scale));
    return new RankingModel(model.name(), weights, model.trees());
  }

  /** Candidates of many queries in one array, with their current scores. */
  private static final class Rows {
    final List<RankingExample> examples;
    final int[] start;
    final float[][] x;
    final double[] gain;
    final double[] score;

    Rows(List<RankingExample> examples, RankingModel model) {
      this.examples = examples;
      this.start = new int[examples.size() + 1];
      for (int q = 0; q < examples.size(); q++) {
        start[q + 1] = start[q] + examples.get(q).features().length;
      }
      x = new float[start[examples.size()]][];
      gain = new double[x.length];
      score = new double[x.length];
      for (int q = 0; q < examples.size(); q++) {
        RankingExample e = examples.get(q);
        for (int i = 0; i < e.features().length; i++) {
          x[start[q] + i] = e.features()[i];
          gain[start[q] + i] = e.gains()[i];
          score[start[q] + i] = model.score(e.features()[i]);
        }
      }
    }

    int size() {
      return x.length;
    }

    void add(TreeEnsemble.Tree tree) {
      for (int r = 0; r < x.length; r++) {
        score[r] += predict(tree, x[r]);
      }
    }

    double ndcg(int k) {
      double sum = 0;
      for (int q = 0; q < examples.size(); q++) {
        sum += examples.get(q).ndcg(score, start[q], k);
      }
      return examples.isEmpty() ? 0 : sum / examples.size();
    }
  }

  private static float predict(TreeEnsemble.Tree tree, float[] x) {
    int n = 0;
    while (tree.feature()[n] >= 0) {
      n = x[tree.feature()[n]] <= tree.threshold()[n] ? tree.left()[n] : tree.right()[n];
    }
    return tree.value()[n];
  }

  /** Up to {@link #MAX_BINS} ascending cut points at the quantiles of a feature's values. */
  private static float[] thresholds(Rows rows, int feature) {
    float[] values = new float[rows.size()];
    for (int r = 0; r < values.length; r++) {
      values[r] = rows.x[r][feature];
    }
    Arrays.sort(values);
    float[] cuts = new float[MAX_BINS];
    int n = 0;
    for (int b = 1; b <= MAX_BINS && values.length > 0; b++) {
      float v = values[(int) Math.min(values.length - 1, (long) values.length * b / MAX_BINS)];
      if (n == 0 || v > cuts[n - 1]) {
        cuts[n++] = v;
      }
    }
    return Arrays.copyOf(cuts, n);
  }

  /** Each row's bin: the first cut point its value does not exceed. */
  private static byte[] bin(Rows rows, int feature, float[] cuts) {
    byte[] out = new byte[rows.size()];
    for (int r = 0; r < out.length; r++) {
      int at = Arrays.binarySearch(cuts, rows.x[r][feature]);
      out[r] = (byte) Math.min(cuts.length - 1, at >= 0 ? at : -at - 1);
    }
    return out;
  }

  /** Fills the lambdas and weights of every row; returns the rows that have any. */
  private int[] lambdas(Rows rows, double[] lambda, double[] weight) {
    Arrays.fill(lambda, 0);
    Arrays.fill(weight, 0);
    MutableIntList active = new IntArrayList();
    int k = settings.k();
    for (int q = 0; q < rows.examples.size(); q++) {
      int from = rows.start[q];
      int n = rows.start[q + 1] - from;
      double ideal = rows.examples.get(q).idealDcg();
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = from + i;
      }
      Arrays.sort(
          order,
          (a, b) ->
              rows.score[a] != rows.score[b]
                  ? Double.compare(rows.score[b], rows.score[a])
                  : Integer.compare(a, b));
      double[] discount = new double[n];
      int[] rank = new int[n];
      for (int r = 0; r < n; r++) {
        rank[order[r] - from] = r;
      }
      for (int i = 0; i < n; i++) {
        discount[i] = rank[i] < k ? 1 / (Math.log(rank[i] + 2) / Math.log(2)) : 0;
      }
      boolean any = false;
      for (int i = 0; i < n; i++) {
        double gi = rows.gain[from + i];
        if (gi <= 0) {
          continue;
        }
        for (int j = 0; j < n; j++) {
          double gj = rows.gain[from + j];
          if (gj >= gi || discount[i] == 0 && discount[j] == 0) {
            continue;
          }
          double delta = (gi - gj) * Math.abs(discount[i] - discount[j]) / ideal;
          double rho = 1 / (1 + Math.exp(rows.score[from + i] - rows.score[from + j]));
          double l = delta * rho;
          double h = delta * rho * (1 - rho);
          lambda[from + i] += l;
          lambda[from + j] -= l;
          weight[from + i] += h;
          weight[from + j] += h;
          any = true;
        }
      }
      if (any) {
        for (int i = 0; i < n; i++) {
          active.add(from + i);
        }
      }
    }
    return active.toArray();
  }

  /** A leaf being grown: its rows, sums, and the best way to split it. */
  private static final class Leaf {
    final int node;
    final int[] rows;
    double g;
    double h;
    int feature = -1;
    int bin;
    double gain;

    Leaf(int node, int[] rows) {
      this.node = node;
      this.rows = rows;
    }
  }

  private TreeEnsemble.Tree grow(
      int[] active, double[] lambda, double[] weight, byte[][] bins, float[][] cuts) {
    int maxNodes = 2 * settings.leaves() - 1;
    int[] feature = new int[maxNodes];
    float[] threshold = new float[maxNodes];
    int[] left = new int[maxNodes];
    int[] right = new int[maxNodes];
    float[] value = new float[maxNodes];
    Arrays.fill(feature, -1);
    int nodes = 1;
    PriorityQueue<Leaf> open = new PriorityQueue<>((a, b) -> Double.compare(b.gain, a.gain));
    Leaf root = leaf(0, active, lambda, weight, bins, value);
    open.add(root);
    int leaves = 1;
    while (leaves < settings.leaves() && !open.isEmpty()) {
      Leaf best = open.poll();
      if (best.feature < 0 || best.gain <= 1e-12) {
        break;
      }
      byte[] column = bins[best.feature];
      MutableIntList l = new IntArrayList();
      MutableIntList r = new IntArrayList();
      for (int row : best.rows) {
        ((column[row] & 0xFF) <= best.bin ? l : r).add(row);
      }
      feature[best.node] = features.get(best.feature).ordinal();
      threshold[best.node] = cuts[best.feature][best.bin];
      left[best.node] = nodes;
      right[best.node] = nodes + 1;
      open.add(leaf(nodes, l.toArray(), lambda, weight, bins, value));
      open.add(leaf(nodes + 1, r.toArray(), lambda, weight, bins, value));
      nodes += 2;
      leaves++;
    }
    return new TreeEnsemble.Tree(
        Arrays.copyOf(feature, nodes),
        Arrays.copyOf(threshold, nodes),
        Arrays.copyOf(left, nodes),
        Arrays.copyOf(right, nodes),
        Arrays.copyOf(value, nodes));
  }

  /** A leaf of {@code rows}: its value, and its best split over every feature's histogram. */
  private Leaf leaf(
      int node, int[] rows, double[] lambda, double[] weight, byte[][] bins, float[] value) {
    Leaf leaf = new Leaf(node, rows);
    for (int row : rows) {
      leaf.g += lambda[row];
      leaf.h += weight[row];
    }
    double l2 = settings.l2();
    value[node] = (float) (settings.learningRate() * leaf.g / (leaf.h + l2));
    if (rows.length < 2 * settings.minLeafRows()) {
      return leaf;
    }
    double parent = leaf.g * leaf.g / (leaf.h + l2);
    double[] g = new double[MAX_BINS];
    double[] h = new double[MAX_BINS];
    int[] c = new int[MAX_BINS];
    for (int j = 0; j < bins.length; j++) {
      Arrays.fill(g, 0);
      Arrays.fill(h, 0);
      Arrays.fill(c, 0);
      byte[] column = bins[j];
      for (int row : rows) {
        int b = column[row] & 0xFF;
        g[b] += lambda[row];
        h[b] += weight[row];
        c[b]++;
      }
      double gl = 0;
      double hl = 0;
      int cl = 0;
      for (int b = 0; b < MAX_BINS - 1; b++) {
        gl += g[b];
        hl += h[b];
        cl += c[b];
        int cr = rows.length - cl;
        if (cl < settings.minLeafRows() || cr < settings.minLeafRows() || c[b] == 0) {
          continue;
        }
        double gr = leaf.g - gl;
        double hr = leaf.h - hl;
        double gain = gl * gl / (hl + l2) + gr * gr / (hr + l2) - parent;
        if (gain > leaf.gain) {
          leaf.gain = gain;
          leaf.feature = j;
          leaf.bin = b;
        }
      }
    }
    return leaf;
  }
}
