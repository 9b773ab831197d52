package dev.magpie.engine.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines for a JVM of its own, for tests that kill a Magpie process or starve its disk: the
 * test JVM's java, flags (those the engine needs) and class path, optionally under a file size
 * limit.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * A JVM running {@code main} with {@code args}; the list may be changed (flags go at index 1).
   */
  public static List<String> command(Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    return command;
  }

  /** Whether {@link #underFileLimit} can run here: Linux, with bash for its ulimit. */
  public static boolean fileLimitSupported() {
    return System.getProperty("os.name").startsWith("Linux")
        && Files.isExecutable(Path.of("/bin/bash"));
  }

  /**
   * {@code javaCommand} run with no file it writes allowed past {@code kib} KiB ({@code ulimit
   * -f}): a write crossing the limit is cut short and the next fails with EFBIG, "File too large",
   * the way a full disk fails it with "No space left on device" (the JVM ignores SIGXFSZ, so it is
   * the write that fails, not the process). The JVM's own performance data file is turned off.
   */
  public static List<String> underFileLimit(int kib, List<String> javaCommand) {
    List<String> command =
        new ArrayList<>(List.of("/bin/bash", "-c", "ulimit -f " + kib + " && exec \"$@\"", "bash"));
    command.add(javaCommand.get(0));
    command.add("-XX:-UsePerfData");
    command.addAll(javaCommand.subList(1, javaCommand.size()));
    return command;
  }

  /** Starts {@code command}, its output and errors together into {@code output}. */
  public static Process start(List<String> command, Path output) throws IOException {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
  }
}
