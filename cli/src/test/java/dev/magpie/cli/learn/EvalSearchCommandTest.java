package dev.magpie.cli.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.cli.MagpieMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** magpie eval search end to end on the bundled sample with a few hand-judged queries. */
class EvalSearchCommandTest {
  @TempDir Path tmp;

  private int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cli = MagpieMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void printsMagpieAndTheBaselineSideBySide() throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path store = tmp.resolve("store");
    assertEquals(
        0,
        run(out, err, "load", "--out", store.toString(), "--progress", "none", "--show", "0"),
        err.toString());
    Path queries = tmp.resolve("queries.tsv");
    Path qrels = tmp.resolve("qrels.tsv");
    Files.writeString(queries, "q1\tchef knife\nq2\ttrail running shoes\nq3\tno judgements here\n");
    Files.writeString(
        qrels, "q1\tMP-000168\t3\nq1\tMP-000001\t1\nq2\tMP-000001\t2.67\nq2\tMP-000002\t1.33\n");
    out.getBuffer().setLength(0);
    assertEquals(
        0,
        run(
            out,
            err,
            "eval",
            "search",
            "--snapshot",
            store.toString(),
            "--queries",
            queries.toString(),
            "--qrels",
            qrels.toString(),
            "--warmup",
            "2",
            "--scoring",
            "both"),
        err.toString());
    String text = out.toString();
    assertTrue(text.contains("2 judged queries over 3,000 items"), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("bm25-combined ")), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("bm25-boosted ")), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("baseline-lucene ")), text);
    assertTrue(text.contains("nDCG@10"), text);
    out.getBuffer().setLength(0);
    assertEquals(
        0,
        run(
            out,
            err,
            "eval",
            "search",
            "--snapshot",
            store.toString(),
            "--queries",
            queries.toString(),
            "--qrels",
            qrels.toString(),
            "--warmup",
            "0",
            "--mode",
            "all"),
        err.toString());
    text = out.toString();
    assertTrue(text.lines().anyMatch(l -> l.startsWith("bm25 ")), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("vector ")), text);
    assertTrue(text.contains("vector / baseline-lucene nDCG@10"), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("hybrid-linear ")), text);
    assertEquals(
        2,
        run(
            out,
            err,
            "eval",
            "search",
            "--snapshot",
            store.toString(),
            "--queries",
            queries.toString(),
            "--qrels",
            qrels.toString(),
            "--mode",
            "fused"));
    assertTrue(
        err.toString().contains("--mode must be bm25, vector, hybrid or all"), err.toString());
    assertEquals(
        2,
        run(
            out,
            err,
            "eval",
            "search",
            "--snapshot",
            store.toString(),
            "--queries",
            queries.toString(),
            "--qrels",
            qrels.toString(),
            "--mode",
            "hybrid",
            "--text-weight",
            "0",
            "--vector-weight",
            "0"));
    assertTrue(err.toString().contains("fusion weights"), err.toString());
  }
}
