package dev.magpie.cli.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.rank.RankingModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainRecommendCommandTest {
  @Test
  void fitsOnTrainingUsersReportsHeldOutOnesAndWritesAModel(@TempDir Path dir) throws Exception {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder("user_id,item_id,event,timestamp\n");
    for (int u = 0; u < 120; u++) {
      int start = random.nextInt(20);
      for (int s = 0; s < 5; s++) {
        csv.append("u")
            .append(u)
            .append(",i")
            .append((start + s) % 20)
            .append(",view,")
            .append(100 * u + s)
            .append('\n');
      }
    }
    Path events = Files.writeString(dir.resolve("events.csv"), csv);
    Path model = dir.resolve("model.bin");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new TrainRecommendCommand())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute("--events", events.toString(), "--out", model.toString());
    String context = "seed " + seed + "\n" + out + err;
    assertEquals(0, code, context);
    String train =
        out.toString().lines().filter(l -> l.startsWith("train ")).findFirst().orElseThrow();
    assertTrue(out.toString().lines().anyMatch(l -> l.startsWith("held-out ")), context);
    String[] cells = train.trim().split("\\s+");
    // users count HR-built HR-fit NDCG-built NDCG-fit ceiling: ascent never ends below its start on
    // its own data
    assertTrue(Double.parseDouble(cells[5]) >= Double.parseDouble(cells[4]), context);
    assertTrue(RankingModel.read(model).name().startsWith("recommend trained on "), context);
  }

  @Test
  void badOptionsAreRefusedByName(@TempDir Path dir) throws Exception {
    Path events = Files.writeString(dir.resolve("events.csv"), "user_id,item_id,event,timestamp\n");
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new TrainRecommendCommand())
            .setErr(new PrintWriter(err))
            .execute(
                "--events",
                events.toString(),
                "--out",
                dir.resolve("m").toString(),
                "--held-out",
                "1.5");
    assertEquals(2, code);
    assertTrue(err.toString().contains("--held-out must be between 0 and 1"), err.toString());
  }
}
