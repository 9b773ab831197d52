package dev.magpie.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magpie.cli.MagpieMain;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.testing.TestSnapshots;
import dev.magpie.server.MagpieServer;
import dev.magpie.server.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The load generator against a real server on loopback: bounded (2 s at 100/s), every request
 * accounted for.
 */
class LoadBenchCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = MagpieMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void sendsTheRateAskedAndReportsEveryRequest() throws Exception {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      items.add(
          TestSnapshots.item(
              "lamp" + i,
              "Camping lamp model " + i,
              "Lumo",
              "Outdoor > Lights",
              1_000 + i,
              5,
              Map.of()));
    }
    Path queries =
        Files.writeString(dir.resolve("queries.tsv"), "q1\tcamping lamp\nq2\tlamp model 3\n");
    try (MagpieServer server =
        MagpieServer.start(
            TestSnapshots.build(dir.resolve("s"), items),
            ServerConfig.builder().wal(dir.resolve("wal")).build())) {
      assertEquals(
          0,
          run(
              "bench",
              "load",
              "--port",
              Integer.toString(server.port()),
              "--rate",
              "100",
              "--duration-s",
              "2",
              "--warmup-s",
              "0",
              "--queries",
              queries.toString(),
              "--mix",
              "search=2,get=1,update=1"),
          err.toString());
    }
    String report = out.toString();
    assertTrue(
        report.contains("(1 queries timed, 1 others for the warm-up;"),
        "the warm-up's queries are not timed: " + report);
    Matcher sent = Pattern.compile("sent ([0-9,]+) in").matcher(report);
    assertTrue(sent.find(), report);
    assertEquals(200, Integer.parseInt(sent.group(1).replace(",", "")), report);
    // The adaptive limit may shed a few on a busy 2-core machine: that is protection working, not a
    // loss.
    long ended = 0;
    long answered = 0;
    Matcher row =
        Pattern.compile("(?m)^(search|get|update)\\s+(\\w+)\\s+([0-9,]+)").matcher(report);
    while (row.find()) {
      long count = Long.parseLong(row.group(3).replace(",", ""));
      ended += count;
      answered += row.group(2).equals("ok") ? count : 0;
      assertTrue(!row.group(2).equals("error"), "no request failed: " + report);
    }
    assertEquals(200, ended, "every request ends once, in one outcome row: " + report);
    assertTrue(answered >= 180, "most requests answered: " + report);
  }

  private MagpieServer lamps() throws Exception {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      items.add(
          TestSnapshots.item(
              "lamp" + i,
              "Camping lamp model " + i,
              "Lumo",
              "Outdoor > Lights",
              1_000 + i,
              5,
              Map.of()));
    }
    return MagpieServer.start(
        TestSnapshots.build(dir.resolve("s"), items), ServerConfig.builder().build());
  }

  @Test
  void stepModeRaisesTheRateWhileItHoldsAndNamesTheSustainableOne() throws Exception {
    Path queries = Files.writeString(dir.resolve("queries.tsv"), "q1\tcamping lamp\n");
    Path json = dir.resolve("out/step.json");
    try (MagpieServer server = lamps()) {
      assertEquals(
          0,
          run(
              "bench",
              "load",
              "--port",
              Integer.toString(server.port()),
              "--mode",
              "step",
              "--rate",
              "20",
              "--step-factor",
              "2",
              "--max-rate",
              "40",
              "--step-s",
              "1",
              "--warmup-s",
              "0",
              "--p99-bound-ms",
              "5000",
              "--max-failed",
              "0.25", // a cold server on 2 busy cores may shed a first few; the stepping is tested
              // here
              "--queries",
              queries.toString(),
              "--mix",
              "get=1",
              "--json",
              json.toString()),
          err.toString());
      assertTrue(out.toString().contains("sustainable: 40 requests/s"), out.toString());
      JsonNode report = new ObjectMapper().readTree(json.toFile());
      assertEquals("step", report.get("mode").asText());
      assertEquals(2, report.get("phases").size(), "20/s and 40/s, then the ceiling");
      assertEquals(40, report.get("phases").get(1).get("sent").asLong());
      assertEquals(40.0, report.get("verdict").get("sustainable_rate").asDouble());
      List<String> rows = Files.readAllLines(dir.resolve("out/step.csv"));
      assertEquals(3, rows.size(), "a header and a row per phase: " + rows);
      assertTrue(rows.get(2).startsWith("40/s,40.0,40,"), rows.get(2));

      out.getBuffer().setLength(0);
      assertEquals(
          0,
          run(
              "bench",
              "load",
              "--port",
              Integer.toString(server.port()),
              "--mode",
              "step",
              "--rate",
              "20",
              "--step-s",
              "1",
              "--warmup-s",
              "0",
              "--p99-bound-ms",
              "0.001",
              "--queries",
              queries.toString()));
      assertTrue(out.toString().contains("no rate held"), out.toString());
    }
  }

  @Test
  void overloadModeReportsGoodputShedsAndRecovery() throws Exception {
    Path queries = Files.writeString(dir.resolve("queries.tsv"), "q1\tcamping lamp\n");
    Path json = dir.resolve("overload.json");
    try (MagpieServer server = lamps()) {
      assertEquals(
          0,
          run(
              "bench",
              "load",
              "--port",
              Integer.toString(server.port()),
              "--mode",
              "overload",
              "--rate",
              "20",
              "--overload",
              "3",
              "--duration-s",
              "1",
              "--recovery-s",
              "1",
              "--warmup-s",
              "0",
              "--queries",
              queries.toString(),
              "--json",
              json.toString()),
          err.toString());
    }
    assertTrue(out.toString().contains("goodput under overload"), out.toString());
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    List<String> phases = new ArrayList<>();
    report
        .get("phases")
        .forEach(p -> phases.add(p.get("name").asText() + "@" + p.get("rate").asInt()));
    assertEquals(List.of("baseline@20", "overload@60", "recovery@20"), phases);
    assertEquals(60, report.get("phases").get(1).get("sent").asLong());
    long accounted = 0;
    for (JsonNode outcome : report.get("phases").get(1).get("outcomes")) {
      accounted += outcome.get("count").asLong();
    }
    assertEquals(
        60, accounted, "every overload request ends once: answered, shed, timed out or failed");
    assertTrue(report.get("verdict").get("goodput_share").asDouble() > 0);
    assertEquals(
        1, report.get("verdict").get("recovery_second_p99_ms").size(), "one recovery second");
    int after = report.get("verdict").get("recovered_after_s").asInt();
    assertTrue(
        after == 0 || after == 1, "normal from the first second or not within the one: " + after);
  }

  @Test
  void refusesABadModeOrAnOverloadPastTheBounds() {
    assertEquals(2, run("bench", "load", "--mode", "burst", "--duration-s", "1"));
    assertTrue(err.toString().contains("--mode must be fixed, step or overload"), err.toString());
    assertEquals(
        2, run("bench", "load", "--mode", "overload", "--duration-s", "300", "--recovery-s", "10"));
    assertTrue(err.toString().contains("at most 600 s in all"), err.toString());
  }

  @Test
  void refusesAnAddressThatIsNotThisMachine() {
    assertEquals(2, run("bench", "load", "--host", "192.0.2.1", "--duration-s", "1"));
    assertTrue(err.toString().contains("is not a loopback address"), err.toString());
  }

  @Test
  void refusesAnUnknownTargetAndAnOpenSearchMixBeyondSearches() {
    assertEquals(2, run("bench", "load", "--target", "solr", "--duration-s", "1"));
    assertTrue(err.toString().contains("--target must be magpie or opensearch"), err.toString());
    assertEquals(
        2,
        run(
            "bench",
            "load",
            "--target",
            "opensearch",
            "--mix",
            "search=1,get=1",
            "--duration-s",
            "1"));
    assertTrue(err.toString().contains("sends searches only, but --mix has get"), err.toString());
  }

  @Test
  void saysSoWhenNoOpenSearchNodeAnswers() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    assertEquals(
        1,
        run(
            "bench",
            "load",
            "--target",
            "opensearch",
            "--port",
            Integer.toString(port),
            "--duration-s",
            "1",
            "--warmup-s",
            "0"));
    assertTrue(
        err.toString()
            .contains("a first search of OpenSearch ended error: is a node serving index"),
        err.toString());
  }
}
