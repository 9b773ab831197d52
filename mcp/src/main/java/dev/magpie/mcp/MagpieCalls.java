package dev.magpie.mcp;

import dev.magpie.api.v1.MagpieGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC channel to the Magpie server or router the tools call, and the stub for one tool call:
 * with the caller's API key (an HTTP agent's bearer token, or the key stdio was started with), so
 * that the server's keys, roles, rate and concurrency limits and metrics apply to agents as they do
 * to every other client, and with a deadline. Owns the channel; thread-safe.
 */
public final class MagpieCalls implements AutoCloseable {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel channel;
  private final MagpieGrpc.MagpieBlockingStub stub;
  private final Duration deadline;
  private final String target;

  private MagpieCalls(ManagedChannel channel, Duration deadline, String target) {
    this.channel = channel;
    this.stub = MagpieGrpc.newBlockingStub(channel);
    this.deadline = deadline;
    this.target = target;
  }

  /**
   * Calls over plaintext to {@code host:port}, each with {@code deadline}.
   *
   * @throws IllegalArgumentException naming a bad port or a deadline that is not positive
   */
  public static MagpieCalls to(String host, int port, Duration deadline) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
    }
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive, got " + deadline);
    }
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(host, port)
            .usePlaintext()
            .maxInboundMessageSize(64 << 20)
            .build();
    return new MagpieCalls(channel, deadline, host + ":" + port);
  }

  /** The stub for one call, sending {@code apiKey} as a bearer token (null or empty: none). */
  MagpieGrpc.MagpieBlockingStub stub(String apiKey) {
    MagpieGrpc.MagpieBlockingStub call =
        stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    if (apiKey == null || apiKey.isEmpty()) {
      return call;
    }
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + apiKey);
    return call.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** Where the calls go, host:port. */
  public String target() {
    return target;
  }

  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
