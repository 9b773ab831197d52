package dev.magpie.engine.rank;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Gradient-boosted regression trees over {@link Feature} vectors (as LambdaMART trains them): the
 * score is the sum of each tree's leaf for the features. Every node, inner ones too, keeps the
 * value it would have as a leaf, so a score can be explained exactly: following a path, each split
 * moves the value from the parent's to the child's, and that move is credited to the split's
 * feature (Saabas' attribution). {@code score = bias() + sum of contributions}. Immutable,
 * thread-safe.
 *
 * <p>Nodes of all trees sit in flat arrays; tree t's root is node {@code roots[t]}. An inner node
 * sends features with {@code x[feature] <= threshold} to {@code left}, others to {@code right}; a
 * leaf has feature -1. Children always follow their parent, so no path loops.
 */
public final class TreeEnsemble {
  /** No trees: scores 0. */
  public static final TreeEnsemble EMPTY = new TreeEnsemble(List.of());

  private final int[] roots;
  private final int[] feature;
  private final float[] threshold;
  private final int[] left;
  private final int[] right;
  private final float[] value;
  private final float bias;

  /**
   * One tree, its nodes in arrays indexed from 0 (the root).
   *
   * @param feature the split's {@link Feature} ordinal, -1 for a leaf
   * @param threshold values at most this go left
   * @param left the left child's index (greater than the node's), unused for a leaf
   * @param right the right child's index (greater than the node's), unused for a leaf
   * @param value the node's value: a leaf's output, an inner node's value as if it were a leaf
   */
  public record Tree(int[] feature, float[] threshold, int[] left, int[] right, float[] value) {
    /** Checks the shape: equal lengths, known features, finite numbers, children after parents. */
    public Tree {
      int n = feature.length;
      if (n == 0
          || threshold.length != n
          || left.length != n
          || right.length != n
          || value.length != n) {
        throw new IllegalArgumentException("a tree needs 1 or more nodes and arrays of one length");
      }
      for (int i = 0; i < n; i++) {
        if (!Float.isFinite(value[i]) || !Float.isFinite(threshold[i])) {
          throw new IllegalArgumentException(
              "node " + i + " has value " + value[i] + ", threshold " + threshold[i]);
        }
        if (feature[i] < -1 || feature[i] >= Feature.values().length) {
          throw new IllegalArgumentException("node " + i + " splits on feature " + feature[i]);
        }
        if (feature[i] >= 0 && (left[i] <= i || left[i] >= n || right[i] <= i || right[i] >= n)) {
          throw new IllegalArgumentException(
              "node " + i + " has children " + left[i] + ", " + right[i] + " of " + n);
        }
      }
    }

    /** A single leaf. */
    public static Tree leaf(float value) {
      return new Tree(new int[] {-1}, new float[1], new int[1], new int[1], new float[] {value});
    }

    /** The number of nodes. */
    public int size() {
      return feature.length;
    }
  }

  /** The ensemble of {@code trees}. */
  public TreeEnsemble(List<Tree> trees) {
    int nodes = trees.stream().mapToInt(Tree::size).sum();
    roots = new int[trees.size()];
    feature = new int[nodes];
    threshold = new float[nodes];
    left = new int[nodes];
    right = new int[nodes];
    value = new float[nodes];
    int at = 0;
    float b = 0;
    for (int t = 0; t < trees.size(); t++) {
      Tree tree = trees.get(t);
      roots[t] = at;
      for (int i = 0; i < tree.size(); i++) {
        feature[at + i] = tree.feature()[i];
        threshold[at + i] = tree.threshold()[i];
        left[at + i] = at + tree.left()[i];
        right[at + i] = at + tree.right()[i];
        value[at + i] = tree.value()[i];
      }
      b += tree.value()[0];
      at += tree.size();
    }
    bias = b;
  }

  /** The number of trees. */
  public int size() {
    return roots.length;
  }

  /** The trees, copied out (for writing). */
  public List<Tree> trees() {
    List<Tree> out = new ArrayList<>(roots.length);
    for (int t = 0; t < roots.length; t++) {
      int from = roots[t];
      int to = t + 1 < roots.length ? roots[t + 1] : feature.length;
      int[] l = new int[to - from];
      int[] r = new int[to - from];
      for (int i = from; i < to; i++) {
        l[i - from] = left[i] - from;
        r[i - from] = right[i] - from;
      }
      out.add(
          new Tree(
              Arrays.copyOfRange(feature, from, to),
              Arrays.copyOfRange(threshold, from, to),
              l,
              r,
              Arrays.copyOfRange(value, from, to)));
    }
    return out;
  }

  /** The sum of the roots' values: what every score starts from. */
  public float bias() {
    return bias;
  }

  /** The ensemble's score of {@code x} (indexed by {@link Feature#ordinal()}). */
  public float score(float[] x) {
    float s = 0;
    for (int root : roots) {
      int n = root;
      while (feature[n] >= 0) {
        n = x[feature[n]] <= threshold[n] ? left[n] : right[n];
      }
      s += value[n];
    }
    return s;
  }

  /**
   * Adds each feature's share of {@code x}'s score to {@code contributions} (indexed by feature
   * ordinal); the shares sum to {@code score(x) - bias()}.
   */
  public void contributions(float[] x, float[] contributions) {
    for (int root : roots) {
      int n = root;
      while (feature[n] >= 0) {
        int child = x[feature[n]] <= threshold[n] ? left[n] : right[n];
        contributions[feature[n]] += value[child] - value[n];
        n = child;
      }
    }
  }

  /** Whether any tree splits on {@code f}. */
  public boolean uses(Feature f) {
    for (int ff : feature) {
      if (ff == f.ordinal()) {
        return true;
      }
    }
    return false;
  }
}
