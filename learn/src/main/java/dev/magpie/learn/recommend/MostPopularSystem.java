package dev.magpie.learn.recommend;

import dev.magpie.engine.behaviour.Interactions;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * Baseline: the items the most users touched, the same list for everyone (minus what they have).
 */
public final class MostPopularSystem implements RecommenderSystem {
  private Interactions log;
  private int[] ranked;

  @Override
  public String name() {
    return "most-popular";
  }

  @Override
  public void train(Interactions train) {
    log = train;
    int[] users = train.usersPerItem();
    ranked =
        IntStream.range(0, users.length)
            .boxed()
            .sorted(
                (a, b) ->
                    users[a] != users[b]
                        ? Integer.compare(users[b], users[a])
                        : Integer.compare(a, b))
            .mapToInt(Integer::intValue)
            .toArray();
  }

  @Override
  public int[] recommend(int user, int k) {
    IntHashSet has = IntHashSet.newSetWith(log.items(user));
    int[] out = new int[k];
    int n = 0;
    for (int i = 0; i < ranked.length && n < k; i++) {
      if (!has.contains(ranked[i])) {
        out[n++] = ranked[i];
      }
    }
    return Arrays.copyOf(out, n);
  }
}
