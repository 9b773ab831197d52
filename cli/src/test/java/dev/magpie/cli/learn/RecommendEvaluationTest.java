package dev.magpie.cli.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.learn.recommend.EventLog;
import dev.magpie.learn.recommend.RecommendEvaluation;
import dev.magpie.learn.recommend.RecommenderSystem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RecommendEvaluationTest {
  /** Recommends the same fixed list to everyone. */
  private record Fixed(int[] list) implements RecommenderSystem {
    @Override
    public String name() {
      return "fixed";
    }

    @Override
    public void train(Interactions train) {}

    @Override
    public int[] recommend(int user, int k) {
      return list;
    }
  }

  @Test
  void metricsAreCountedExactly() {
    // Four items; user a holds out 2, user b holds out 3; a fixed list [3, 2] hits both.
    Interactions log =
        new Interactions.Builder(4)
            .add("a", 0, EventType.VIEW, 1, 1f)
            .add("a", 2, EventType.VIEW, 2, 1f)
            .add("b", 0, EventType.VIEW, 1, 1f)
            .add("b", 1, EventType.VIEW, 2, 1f)
            .add("b", 3, EventType.VIEW, 3, 1f)
            .build();
    EventLog events =
        new EventLog(
            log,
            List.of("i0", "i1", "i2", "i3"),
            List.of(List.of("x"), List.of("x"), List.of("x", "y"), List.of("z")),
            List.of());
    RecommendEvaluation.Result r =
        RecommendEvaluation.run(events, List.of(new Fixed(new int[] {3, 2})), 2, 2, user -> true)
            .getFirst();
    assertEquals(2, r.users());
    assertEquals(1.0, r.hitRate());
    assertEquals(
        (1 / (Math.log(3) / Math.log(2)) + 1) / 2,
        r.ndcg(),
        1e-12,
        "a's item at rank 2, b's at rank 1");
    assertEquals(0.5, r.coverage());
    // training users per item: i0 2, i1 1, i2 0, i3 0 -> percentiles: i2, i3 have 0 items below.
    assertEquals(0.0, r.popularityPercentile());
    assertEquals(1.0, r.diversity(), "{z} and {x, y} share nothing");
  }

  @Test
  void theCommandPrintsEverySystemOnALog(@TempDir Path dir) throws Exception {
    StringBuilder csv = new StringBuilder("user_id,item_id,event,timestamp\n");
    for (int u = 0; u < 30; u++) {
      for (int s = 0; s < 6; s++) {
        csv.append("u")
            .append(u)
            .append(",i")
            .append((u + s) % 12)
            .append(",view,")
            .append(100 * u + s)
            .append('\n');
      }
    }
    csv.append("u0,i1,teleport,1\n");
    Path events = Files.writeString(dir.resolve("events.csv"), csv);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new EvalRecommendCommand())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute("--events", events.toString());
    assertEquals(0, code, err.toString());
    assertTrue(err.toString().contains("teleport"), err.toString());
    for (String system : List.of("magpie", "item-knn", "most-popular")) {
      assertTrue(out.toString().contains(system), out.toString());
    }
    // Every user's sequence is i(u), i(u+1), ... i(u+5): item-to-item order makes the next one
    // certain.
    assertTrue(
        out.toString().lines().anyMatch(l -> l.startsWith("magpie ") && l.contains(" 1.0000 ")),
        out.toString());
  }
}
