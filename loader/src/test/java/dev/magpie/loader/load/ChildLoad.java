package dev.magpie.loader.load;

import dev.magpie.loader.MagpieMain;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code magpie load} in a JVM of its own, with this test JVM's class path and flags. */
final class ChildLoad {
  private ChildLoad() {}

  /** The command line of a child JVM running {@code magpie} with {@code args}. */
  static List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments()); // the JVM flags the engine needs
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), MagpieMain.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

  /** Starts {@code command}, its output and errors together into {@code output}. */
  static Process start(List<String> command, Path output) throws IOException {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
  }
}
