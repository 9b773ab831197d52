package dev.magpie.cli.cluster;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts Java child processes on this JVM's class path and with its module flags: the broker and
 * the Magpie processes of a local cluster. Each child writes its output to a log file of its own.
 */
final class ChildJvm {
  /** Overrides the class path children run on (default: this JVM's). */
  static final String CLASSPATH_PROPERTY = "magpie.child.classpath";

  private ChildJvm() {}

  /** The command that runs {@code mainClass} with {@code args} in a JVM of at most {@code heap}. */
  static List<String> command(String mainClass, String heap, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // Module and access flags and system properties carry over; heap sizes and agents (a
      // coverage agent, a debugger) do not.
      if (a.startsWith("--add-") || a.startsWith("--enable-native-access") || a.startsWith("-D")) {
        command.add(a);
      }
    }
    command.add("-Xmx" + heap);
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty(CLASSPATH_PROPERTY, System.getProperty("java.class.path")));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /** Starts {@code command}, its output appended to {@code log}. */
  static Process start(List<String> command, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** Runs {@code command} to its end (at most {@code seconds}); its exit code. */
  static int run(List<String> command, Path log, long seconds)
      throws IOException, InterruptedException {
    Process p = start(command, log);
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(
          "'"
              + String.join(" ", command.subList(command.size() - 3, command.size()))
              + "' did not end in "
              + seconds
              + " s; see "
              + log);
    }
    return p.exitValue();
  }

  /** The last lines of {@code log}, for an error message. */
  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** A port free on loopback now. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Stops {@code p}: SIGTERM, up to {@code seconds} to exit, then SIGKILL. */
  static void stop(Process p, long seconds) {
    if (!p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
