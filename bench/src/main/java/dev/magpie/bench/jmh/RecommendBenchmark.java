package dev.magpie.bench.jmh;

import dev.magpie.engine.behaviour.UserHistories;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.recommend.RecommendRequest;
import dev.magpie.engine.recommend.Recommender;
import dev.magpie.engine.recommend.UserProfiles;
import dev.magpie.engine.snapshot.Snapshot;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The recommend path in one process, one thread, cycling through every shopper of the snapshot's
 * event log: {@code forUser} (profile from the stored history, every channel, ranking model,
 * diversity, exploration, reasons), {@code forCart} (the shopper's latest item as the cart, no
 * shopper), {@code similarItems} (alternatives to that item). SampleTime reports p50 and p99; the
 * issue's target is p99 at most 5 ms on the sample catalog and on MovieLens.
 *
 * <p>Snapshot: {@code -Dmagpie.bench.snapshot=DIR}, a store or version loaded with {@code --events}
 * (for example {@code magpie load --out /tmp/sample-snap} for the bundled sample with its events);
 * forked JVMs inherit it from the launcher: {@code
 * MAGPIE_JAVA_OPTS=-Dmagpie.bench.snapshot=/tmp/sample-snap ./magpie jmh Recommend -f 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class RecommendBenchmark {
  private Snapshot snapshot;
  private Recommender recommender;
  private String[] users;
  private String[] latestItems;
  private int next;

  /** Opens the snapshot and lists its shoppers and their latest items. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    snapshot = BenchSnapshot.open("Recommend", "a snapshot loaded with --events");
    UserHistories histories = snapshot.userHistories();
    if (histories == null || histories.users() == 0) {
      throw new IllegalStateException(
          snapshot.dir() + " was loaded without events; load it with --events");
    }
    recommender =
        new Recommender(
            snapshot,
            new UserProfiles(snapshot.items(), histories),
            RankingModel.RECOMMEND_DEFAULT);
    users = new String[histories.users()];
    latestItems = new String[histories.users()];
    for (int u = 0; u < users.length; u++) {
      users[u] = histories.userId(u);
      latestItems[u] = snapshot.items().externalId(histories.item(histories.end(u) - 1));
    }
    System.out.printf("%n%,d shoppers over %,d items%n", users.length, snapshot.items().size());
  }

  /** Closes the snapshot. */
  @TearDown(Level.Trial)
  public void tearDown() {
    snapshot.close();
  }

  private int nextIndex() {
    next = next + 1 == users.length ? 0 : next + 1;
    return next;
  }

  /** Ten items for a known shopper. */
  @Benchmark
  public int forUser() {
    return recommender.recommend(RecommendRequest.forUser(users[nextIndex()], 10)).items().size();
  }

  /** Ten items for a one-item cart, shopper unknown. */
  @Benchmark
  public int forCart() {
    return recommender
        .recommend(RecommendRequest.forContext(List.of(latestItems[nextIndex()]), 10))
        .items()
        .size();
  }

  /** Ten alternatives to an item. */
  @Benchmark
  public int similarItems() {
    return recommender.similarItems(latestItems[nextIndex()], 10, null).items().size();
  }
}
