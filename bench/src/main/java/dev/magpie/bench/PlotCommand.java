package dev.magpie.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code magpie bench plot}: draws columns of a CSV file (a header row, then numbers) against one
 * of them as a PNG line chart, for the benchmark report: latency against throughput from {@code
 * bench load --json}'s CSV, bytes per item against catalog size.
 */
@Command(
    name = "plot",
    mixinStandardHelpOptions = true,
    description = "Plots CSV columns against one of them into a PNG (for docs/benchmarks.md).")
public final class PlotCommand implements Callable<Integer> {
  @Option(
      names = "--csv",
      required = true,
      paramLabel = "FILE",
      description = "Comma-separated, a header row first.")
  Path csv;

  @Option(
      names = "--x",
      required = true,
      paramLabel = "COLUMN",
      description = "The column along the x axis.")
  String x;

  @Option(
      names = "--y",
      required = true,
      split = ",",
      paramLabel = "COLUMN",
      description = "Columns to draw.")
  List<String> y;

  @Option(names = "--title", defaultValue = "", description = "The chart's title.")
  String title;

  @Option(names = "--x-title", description = "The x axis title (default: the column).")
  String xTitle;

  @Option(names = "--y-title", defaultValue = "", description = "The y axis title.")
  String yTitle;

  @Option(names = "--log-x", description = "A logarithmic x axis.")
  boolean logX;

  @Option(names = "--log-y", description = "A logarithmic y axis.")
  boolean logY;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The PNG to write.")
  Path out;

  @Override
  public Integer call() throws IOException {
    List<String> lines =
        Files.readAllLines(csv, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    if (lines.size() < 2) {
      System.err.println("bench plot: " + csv + " has no data row under its header");
      return 2;
    }
    List<String> header = Arrays.asList(lines.getFirst().split(",", -1));
    int xColumn = header.indexOf(x);
    if (xColumn < 0) {
      System.err.println("bench plot: no column '" + x + "' in " + header);
      return 2;
    }
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(560)
            .title(title)
            .xAxisTitle(xTitle == null ? x : xTitle)
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setXAxisLogarithmic(logX);
    chart.getStyler().setYAxisLogarithmic(logY);
    for (String column : y) {
      int yColumn = header.indexOf(column);
      if (yColumn < 0) {
        System.err.println("bench plot: no column '" + column + "' in " + header);
        return 2;
      }
      List<double[]> points = new ArrayList<>();
      for (int row = 1; row < lines.size(); row++) {
        String[] cells = lines.get(row).split(",", -1);
        try {
          points.add(
              new double[] {
                Double.parseDouble(cells[xColumn]), Double.parseDouble(cells[yColumn])
              });
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
          System.err.println(
              "bench plot: "
                  + csv
                  + " row "
                  + (row + 1)
                  + ": '"
                  + lines.get(row)
                  + "' has no number in "
                  + x
                  + " or "
                  + column);
          return 2;
        }
      }
      chart
          .addSeries(
              column,
              points.stream().mapToDouble(p -> p[0]).toArray(),
              points.stream().mapToDouble(p -> p[1]).toArray())
          .setMarker(SeriesMarkers.CIRCLE);
    }
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    BitmapEncoder.saveBitmap(chart, out.toString(), BitmapEncoder.BitmapFormat.PNG);
    System.out.println("wrote " + out);
    return 0;
  }
}
