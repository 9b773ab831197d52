package dev.magpie.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Serves the catalog tools over MCP. The SDK's own check of arguments against the input schemas is
 * off: the tools check every argument themselves ({@link ToolArguments}) and say which value was
 * wrong, which the SDK's messages do not. Over stdio, one session for a desktop agent that started
 * this process, or over stateless Streamable HTTP at {@code /mcp}, for agents behind a load
 * balancer (any instance answers any request; the caller's bearer token is passed to Magpie as its
 * API key).
 */
public final class McpFront {
  /** The HTTP path of the MCP endpoint. */
  public static final String ENDPOINT = "/mcp";

  static final String INSTRUCTIONS =
      """
      Magpie is a product catalog's search and recommendation engine. Use search_catalog to find \
      products from a shopper's words (or, with purpose recommendation or swap, products that go \
      with or replace ones they have), then get_product or lookup_catalog for details, \
      compare_products to help them choose, complete_basket to reach a coupon threshold, and \
      recommend for a personal selection. Quote the 'why' of each product; never invent products, \
      prices or stock: every product id, price and availability comes from these tools.""";

  private static final String CONTEXT_KEY = "magpie.apiKey";

  private McpFront() {}

  /**
   * Serves one stdio session on {@code in} and {@code out} (the JSON-RPC stream: nothing else may
   * write to it), each call sending {@code apiKey} (null: none). Returns at once; the session ends
   * when {@code in} does ({@link Stdio#awaitEndOfInput}) or when closed.
   */
  public static Stdio stdio(CatalogTools tools, String apiKey, InputStream in, OutputStream out) {
    List<McpServerFeatures.SyncToolSpecification> specs = new ArrayList<>();
    for (CatalogTool tool : CatalogTools.ALL) {
      specs.add(
          new McpServerFeatures.SyncToolSpecification(
              tools.definition(tool),
              (exchange, request) -> tools.call(tool, request.arguments(), apiKey)));
    }
    CountDownLatch ended = new CountDownLatch(1);
    InputStream watched =
        new FilterInputStream(in) {
          @Override
          public int read() throws IOException {
            return ended(super.read());
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            return ended(super.read(b, off, len));
          }

          private int ended(int read) {
            if (read < 0) {
              ended.countDown();
            }
            return read;
          }
        };
    McpSyncServer mcp =
        McpServer.sync(new StdioServerTransportProvider(tools.json(), watched, out))
            .serverInfo("magpie", version())
            .instructions(INSTRUCTIONS)
            .validateToolInputs(false)
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .tools(specs)
            .build();
    return new Stdio(mcp, ended);
  }

  /**
   * Serves stateless Streamable HTTP at {@code host:port}{@value #ENDPOINT} (port 0: any free one);
   * each call sends the request's bearer token (or {@code x-api-key}) to Magpie.
   *
   * @throws Exception when the server cannot start (the port is taken)
   */
  public static Http http(CatalogTools tools, String host, int port) throws Exception {
    HttpServletStatelessServerTransport transport =
        HttpServletStatelessServerTransport.builder()
            .jsonMapper(tools.json())
            .messageEndpoint(ENDPOINT)
            .contextExtractor(
                request -> {
                  String key = bearer(request.getHeader("Authorization"));
                  if (key == null) {
                    key = request.getHeader("x-api-key");
                  }
                  return key == null
                      ? McpTransportContext.EMPTY
                      : McpTransportContext.create(Map.of(CONTEXT_KEY, key));
                })
            .build();
    List<McpStatelessServerFeatures.SyncToolSpecification> specs = new ArrayList<>();
    for (CatalogTool tool : CatalogTools.ALL) {
      specs.add(
          new McpStatelessServerFeatures.SyncToolSpecification(
              tools.definition(tool),
              (context, request) ->
                  tools.call(tool, request.arguments(), (String) context.get(CONTEXT_KEY))));
    }
    McpStatelessSyncServer mcp =
        McpServer.sync(transport)
            .serverInfo("magpie", version())
            .instructions(INSTRUCTIONS)
            .validateToolInputs(false)
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .tools(specs)
            .build();
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("magpie-mcp-http");
    Server jetty = new Server(threads);
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost(host);
    connector.setPort(port);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder(transport), ENDPOINT);
    jetty.setHandler(context);
    try {
      jetty.start();
    } catch (Exception e) {
      mcp.close();
      jetty.stop();
      throw e;
    }
    return new Http(jetty, connector, mcp);
  }

  /** The key in an {@code Authorization: Bearer KEY} header, or null. */
  static String bearer(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String key = header.substring(7).strip();
    return key.isEmpty() ? null : key;
  }

  private static String version() {
    String v = McpFront.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** A running stdio session; closing it stops the server. */
  public static final class Stdio implements AutoCloseable {
    private final McpSyncServer mcp;
    private final CountDownLatch ended;

    private Stdio(McpSyncServer mcp, CountDownLatch ended) {
      this.mcp = mcp;
      this.ended = ended;
    }

    /** Waits until the agent closes standard input (it ends the session). */
    public void awaitEndOfInput() throws InterruptedException {
      ended.await();
    }

    @Override
    public void close() {
      mcp.close();
    }
  }

  /** A running HTTP front; closing it stops the server. */
  public static final class Http implements AutoCloseable {
    private final Server jetty;
    private final ServerConnector connector;
    private final McpStatelessSyncServer mcp;

    private Http(Server jetty, ServerConnector connector, McpStatelessSyncServer mcp) {
      this.jetty = jetty;
      this.connector = connector;
      this.mcp = mcp;
    }

    /** The port it listens on. */
    public int port() {
      return connector.getLocalPort();
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
      return new InetSocketAddress(connector.getHost(), port());
    }

    /** Waits until the server stops. */
    public void join() throws InterruptedException {
      jetty.join();
    }

    @Override
    public void close() {
      try {
        mcp.close();
      } finally {
        try {
          jetty.stop();
        } catch (Exception e) {
          throw new IllegalStateException("stopping the MCP HTTP server: " + e.getMessage(), e);
        }
      }
    }
  }
}
