package dev.magpie.server;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * How a router reaches its shard servers: the key it presents (the shard servers' {@code --keys}
 * then need one with the read role), and TLS trusting the certificates in a PEM file (the shard
 * servers' own, or the authority that signed them), or plaintext. The certificates are read once,
 * here, and every replica's channel shares the context.
 */
public final class ShardAccess {
  /** Plaintext, no key. */
  public static final ShardAccess PLAINTEXT = new ShardAccess(null, null);

  private final String key;
  private final SslContext tls;

  /**
   * Checks the key is not blank and reads the certificates.
   *
   * @param key the key sent as a bearer token on every shard call, or null for none
   * @param trustedCertificates PEM certificates the shard servers' must chain to, or null for
   *     plaintext
   * @throws IllegalArgumentException naming the file when the certificates cannot be used
   */
  public ShardAccess(String key, Path trustedCertificates) {
    if (key != null && key.isBlank()) {
      throw new IllegalArgumentException("the shard key must not be blank");
    }
    this.key = key;
    this.tls = trustedCertificates == null ? null : sslContext(trustedCertificates);
  }

  /** The key sent on every shard call, or null for none. */
  public String key() {
    return key;
  }

  /** A channel to the shard server at {@code host}:{@code port}. */
  ManagedChannel channel(String host, int port) {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(host, port);
    if (tls == null) {
      builder.usePlaintext();
    } else {
      builder.sslContext(tls);
    }
    return builder.build();
  }

  private static SslContext sslContext(Path certificates) {
    if (!Files.isReadable(certificates)) {
      throw new IllegalArgumentException("shard TLS: cannot read the certificates " + certificates);
    }
    try {
      return GrpcSslContexts.forClient().trustManager(certificates.toFile()).build();
    } catch (SSLException | RuntimeException e) {
      throw new IllegalArgumentException(
          "shard TLS: cannot use the certificates " + certificates + ": " + e.getMessage(), e);
    }
  }
}
