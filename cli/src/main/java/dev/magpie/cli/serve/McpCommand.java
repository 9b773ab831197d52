package dev.magpie.cli.serve;

import dev.magpie.cli.MagpieMain;
import dev.magpie.cli.MagpieSubcommand;
import dev.magpie.cli.catalog.LoadCommand;
import dev.magpie.engine.embed.ModelUnavailableException;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.mcp.CatalogTools;
import dev.magpie.mcp.MagpieCalls;
import dev.magpie.mcp.McpFront;
import dev.magpie.server.ApiKeys;
import dev.magpie.server.MagpieServer;
import dev.magpie.server.RouterServer;
import dev.magpie.server.ServerConfig;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code magpie mcp}: the catalog's tools for AI agents over the Model Context Protocol, over stdio
 * (a desktop agent starts this command) or Streamable HTTP ({@code --http PORT}), in front of a
 * Magpie server or router ({@code --server}) or of a snapshot served in this process ({@code
 * --snapshot}, or the default store). Over stdio, standard output carries the protocol alone: every
 * message of this command goes to standard error.
 */
@Command(
    name = "mcp",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the catalog's MCP tools to AI agents (search_catalog, lookup_catalog, get_product,",
      "compare_products, complete_basket, recommend): over stdio by default, over stateless",
      "Streamable HTTP at /mcp with --http. In front of a Magpie server or router (--server), or of",
      "a snapshot served in this process (--snapshot; default: the default store, the bundled",
      "sample if empty)."
    },
    footer = {
      "",
      "Examples:",
      "  magpie mcp                                      # stdio, the bundled sample",
      "  magpie mcp --server 127.0.0.1:7420 --key KEY    # stdio, in front of a running server",
      "  magpie mcp --snapshot /srv/magpie/snapshots --http 7430 --keys keys.tsv",
      "",
      "Over HTTP each agent sends its own key (Authorization: Bearer KEY); it reaches the server,",
      "whose keys, limits and metrics apply as to any gRPC client."
    })
public final class McpCommand implements MagpieSubcommand {
  @Spec CommandSpec spec;

  /** Counted down once call() has closed what it opened: the shutdown hook waits for it. */
  private final CountDownLatch cleaned = new CountDownLatch(1);

  @Option(
      names = "--server",
      paramLabel = "HOST:PORT",
      description = "A Magpie server or router to call over gRPC (plaintext).")
  String server;

  @Option(
      names = "--snapshot",
      paramLabel = "DIR",
      description =
          "Snapshot store or version to serve in this process (default: the default store).")
  Path snapshot;

  @Option(
      names = "--keys",
      paramLabel = "FILE",
      description =
          "API keys of the server started in this process (name<TAB>role<TAB>key per line); agents"
              + " then need one.")
  Path keys;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      description =
          "The API key stdio calls send (default: $MAGPIE_API_KEY); over HTTP each agent sends its"
              + " own.")
  String key;

  @Option(
      names = "--http",
      paramLabel = "PORT",
      description =
          "Serve Streamable HTTP (stateless) on this port instead of stdio; 0: any free port.")
  Integer httpPort;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      paramLabel = "HOST",
      description = "Address --http listens on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--deadline-ms",
      defaultValue = "10000",
      paramLabel = "MS",
      description = "How long a tool waits for Magpie (default: ${DEFAULT-VALUE}).")
  long deadlineMs;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (server != null && (snapshot != null || keys != null)) {
      err.println(
          "magpie mcp: --server calls a running server; --snapshot and --keys start one here."
              + " Give one or the other.");
      return USAGE;
    }
    if (deadlineMs <= 0 || (httpPort != null && (httpPort < 0 || httpPort > 65_535))) {
      err.println("magpie mcp: --deadline-ms must be positive and --http 0 to 65535");
      return USAGE;
    }
    // Over stdio standard output is the protocol's: what the commands below would print goes to
    // standard error, and the tools write to the real standard output only.
    OutputStream protocol = new FileOutputStream(FileDescriptor.out);
    PrintWriter log =
        httpPort == null
            ? new PrintWriter(err, true)
            : new PrintWriter(spec.commandLine().getOut(), true);
    if (httpPort == null) {
      System.setOut(
          new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
    }
    RouterServer.Replica target = null;
    if (server != null) {
      try {
        target = RouterServer.Replica.parse(server);
      } catch (IllegalArgumentException e) {
        err.println("magpie mcp: --server must be HOST:PORT: " + e.getMessage());
        return USAGE;
      }
    }
    MagpieServer local = null;
    if (target == null) {
      try {
        local = startLocal(log, err);
      } catch (IOException | IllegalArgumentException | ModelUnavailableException e) {
        err.println("magpie mcp: " + e.getMessage());
        return FAILED;
      }
      if (local == null) {
        return FAILED;
      }
      target = new RouterServer.Replica("127.0.0.1", local.port());
    }
    MagpieCalls calls = MagpieCalls.to(target.host(), target.port(), Duration.ofMillis(deadlineMs));
    try {
      CatalogTools tools = new CatalogTools(calls);
      if (httpPort != null) {
        return serveHttp(tools, target.toString(), log, err);
      }
      return serveStdio(tools, target.toString(), protocol, err);
    } finally {
      calls.close();
      closeQuietly(local);
      cleaned.countDown();
    }
  }

  private MagpieServer startLocal(PrintWriter log, PrintWriter err) throws IOException {
    Path dir = snapshot;
    if (dir == null) {
      dir = MagpieMain.defaultStore();
      if (!SnapshotStore.isStore(dir)) {
        log.println("No snapshot in " + dir + " yet: loading the bundled sample catalog into it.");
        int loaded =
            new CommandLine(new LoadCommand())
                .setOut(log)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute("--out", dir.toString(), "--show", "0");
        if (loaded != OK) {
          return null;
        }
      }
    }
    ServerConfig.Builder config = ServerConfig.builder().host("127.0.0.1").port(0);
    if (keys != null) {
      config.keys(ApiKeys.read(keys));
    }
    Snapshot opened = Snapshot.open(SnapshotStore.resolveVersionDir(dir));
    MagpieServer started = MagpieServer.start(opened, config.build());
    log.printf(
        "magpie mcp: serving %,d items from %s in this process (gRPC on 127.0.0.1:%d)%n",
        opened.items().size(), opened.dir(), started.port());
    return started;
  }

  private int serveHttp(CatalogTools tools, String target, PrintWriter log, PrintWriter err) {
    McpFront.Http http;
    try {
      http = McpFront.http(tools, host, httpPort);
    } catch (Exception e) {
      err.println(
          "magpie mcp: cannot serve HTTP on " + host + ":" + httpPort + ": " + e.getMessage());
      return FAILED;
    }
    log.printf(
        "magpie mcp: MCP over Streamable HTTP at http://%s:%d%s, calling Magpie at %s%n",
        host, http.port(), McpFront.ENDPOINT, target);
    // Ctrl-C or SIGTERM: stop taking requests, then let call() close the channel and the server
    // started here before the JVM exits.
    Thread hook =
        new Thread(
            () -> {
              try {
                http.close();
                cleaned.await(10, TimeUnit.SECONDS);
              } catch (Exception e) {
                err.println("magpie mcp: stopping: " + e.getMessage());
              }
            },
            "magpie-mcp-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      http.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OK;
  }

  private int serveStdio(
      CatalogTools tools, String target, OutputStream protocol, PrintWriter err) {
    String apiKey = key != null ? key : System.getenv("MAGPIE_API_KEY");
    InputStream in = new FileInputStream(FileDescriptor.in);
    try (McpFront.Stdio mcp = McpFront.stdio(tools, apiKey, in, protocol)) {
      err.println("magpie mcp: MCP over stdio, calling Magpie at " + target);
      err.flush();
      mcp.awaitEndOfInput();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OK;
  }

  private static void closeQuietly(MagpieServer server) {
    if (server != null) {
      server.close();
    }
  }
}
