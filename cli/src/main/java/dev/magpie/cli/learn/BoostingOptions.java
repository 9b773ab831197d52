package dev.magpie.cli.learn;

import dev.magpie.learn.train.LambdaMart;
import picocli.CommandLine.Option;

/** The boosting options of the train commands, as {@link LambdaMart.Settings}. */
public final class BoostingOptions {
  @Option(
      names = "--trees",
      paramLabel = "N",
      description = "Boosted trees at most on top of the fitted weights, 0 for a linear model.")
  Integer trees;

  @Option(
      names = "--leaves",
      defaultValue = "15",
      paramLabel = "N",
      description = "Leaves per tree at most.")
  int leaves;

  @Option(
      names = "--learning-rate",
      defaultValue = "0.05",
      paramLabel = "RATE",
      description = "Share of each tree's step taken (default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(
      names = "--min-leaf",
      defaultValue = "50",
      paramLabel = "N",
      description = "Fewest candidates a tree leaf holds (default: ${DEFAULT-VALUE}).")
  int minLeaf;

  /**
   * The settings, with {@code defaultTrees} when --trees was not given; null for a linear model.
   *
   * @throws IllegalArgumentException naming the option and value
   */
  public LambdaMart.Settings settings(int defaultTrees, int k) {
    int t = trees == null ? defaultTrees : trees;
    if (t < 0 || leaves < 2 || !(learningRate > 0 && learningRate <= 1) || minLeaf < 1) {
      throw new IllegalArgumentException(
          "--trees must be 0 or more, --leaves 2 or more, --learning-rate in (0, 1]"
              + " and --min-leaf 1 or more; got "
              + t
              + ", "
              + leaves
              + ", "
              + learningRate
              + ", "
              + minLeaf);
    }
    LambdaMart.Settings d = LambdaMart.Settings.DEFAULT;
    return t == 0
        ? null
        : new LambdaMart.Settings(t, leaves, learningRate, minLeaf, d.l2(), d.patience(), k);
  }
}
