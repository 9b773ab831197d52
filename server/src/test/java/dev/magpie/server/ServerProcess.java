package dev.magpie.server;

import dev.magpie.engine.testing.ChildJvm;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server in a process of its own ({@link LiveServerMain}), for tests that kill it: started on a
 * snapshot store and a write-ahead log, its output appended to a log file, its port read from the
 * line it prints once it listens.
 */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final Path output;
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private ManagedChannel channel;

  private ServerProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /**
   * Starts a server on {@code store} with the log {@code wal}, its output appended to {@code
   * output}.
   */
  static ServerProcess start(Path store, Path wal, Path output) throws IOException {
    return start(store, wal, output, 0);
  }

  /**
   * As {@link #start(Path, Path, Path)}, with no file the server writes allowed past {@code
   * fileLimitKib} KiB when that is positive ({@code ulimit -f}, Linux and bash): writes past it
   * fail with "File too large", the way a full disk fails them with "No space left on device".
   */
  static ServerProcess start(Path store, Path wal, Path output, int fileLimitKib)
      throws IOException {
    List<String> command = ChildJvm.command(LiveServerMain.class, store.toString(), wal.toString());
    if (fileLimitKib > 0) {
      command = ChildJvm.underFileLimit(fileLimitKib, command);
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    ServerProcess server = new ServerProcess(process, output);
    Thread.ofPlatform()
        .daemon()
        .name("server-process-output-" + process.pid())
        .start(server::drain);
    return server;
  }

  /** Copies the child's output to the log file, noting the port it prints. */
  private void drain() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter log =
            new PrintWriter(
                Files.newBufferedWriter(
                    output,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND))) {
      log.println("--- process " + process.pid());
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("PORT ")) {
          port.complete(Integer.parseInt(line.substring(5).strip()));
        }
        log.println(line);
        log.flush();
      }
    } catch (IOException | RuntimeException e) {
      port.completeExceptionally(e);
    } finally {
      port.completeExceptionally(
          new IOException("the server process ended before listening; its output is in " + output));
    }
  }

  /** The process. */
  Process process() {
    return process;
  }

  /**
   * A plaintext channel to the server once it listens (waiting at most {@code seconds}).
   *
   * @throws IOException if the process ended or did not listen in time
   */
  ManagedChannel channel(long seconds) throws IOException, InterruptedException {
    if (channel == null) {
      int p;
      try {
        p = port.get(seconds, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new IOException(e.getCause().getMessage(), e.getCause());
      } catch (TimeoutException e) {
        throw new IOException(
            "the server process did not listen within " + seconds + " s; output in " + output, e);
      }
      channel = NettyChannelBuilder.forAddress("127.0.0.1", p).usePlaintext().build();
    }
    return channel;
  }

  /** The port, once the server printed it; empty before. */
  OptionalInt port() {
    return port.isDone() && !port.isCompletedExceptionally()
        ? OptionalInt.of(port.join())
        : OptionalInt.empty();
  }

  /** Kills the process with SIGKILL (no shutdown hook runs) and waits for it to end. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "process " + process.pid() + " still alive 30 s after SIGKILL");
    }
  }

  @Override
  public void close() {
    try {
      kill();
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
