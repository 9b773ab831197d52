package dev.magpie.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magpie.cli.MagpieMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code magpie bench plot}: a PNG from CSV columns; a missing column or a non-number is refused.
 */
class PlotCommandTest {
  @TempDir Path dir;

  @Test
  void drawsTheColumnsAsAPngAndRefusesWhatIsNotThere() throws Exception {
    Path csv =
        Files.writeString(
            dir.resolve("step.csv"),
            "phase,goodput,p50_ms,p99_ms\n50/s,50,7.9,16.7\n" + "75/s,75,6.6,15.9\n");
    Path png = dir.resolve("img/latency.png");
    assertEquals(
        0,
        MagpieMain.commandLine()
            .execute(
                "bench",
                "plot",
                "--csv",
                csv.toString(),
                "--x",
                "goodput",
                "--y",
                "p50_ms,p99_ms",
                "--out",
                png.toString()));
    byte[] magic = Arrays.copyOf(Files.readAllBytes(png), 4);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, magic);
    assertEquals(
        2,
        MagpieMain.commandLine()
            .execute(
                "bench",
                "plot",
                "--csv",
                csv.toString(),
                "--x",
                "goodput",
                "--y",
                "p90_ms",
                "--out",
                png.toString()));
    Path bad = Files.writeString(dir.resolve("bad.csv"), "x,y\n1,fast\n");
    assertEquals(
        2,
        MagpieMain.commandLine()
            .execute(
                "bench",
                "plot",
                "--csv",
                bad.toString(),
                "--x",
                "x",
                "--y",
                "y",
                "--out",
                png.toString()));
  }
}
