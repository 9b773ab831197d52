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
 * servers' own, or the authority that signed them), or plaintext.
 *
 * @param key the key sent as a bearer token on every shard call, or null for none
 * @param trustedCertificates PEM certificates the shard servers' must chain to, or null for
 *     plaintext
 */
public record ShardAccess(String key, Path trustedCertificates) {
  /** Plaintext, no key. */
  public static final ShardAccess PLAINTEXT = new ShardAccess(null, null);

  /** Checks the key is not blank and the certificates read. */
  public ShardAccess {
    if (key != null && key.isBlank()) {
      throw new IllegalArgumentException("the shard key must not be blank");
    }
    if (trustedCertificates != null) {
      if (!Files.isReadable(trustedCertificates)) {
        throw new IllegalArgumentException(
            "shard TLS: cannot read the certificates " + trustedCertificates);
      }
      sslContext(trustedCertificates);
    }
  }

  /** Whether calls to the shards go over TLS. */
  public boolean tls() {
    return trustedCertificates != null;
  }

  /** A channel to the shard server at {@code host}:{@code port}. */
  ManagedChannel channel(String host, int port) {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(host, port);
    if (trustedCertificates == null) {
      builder.usePlaintext();
    } else {
      builder.sslContext(sslContext(trustedCertificates));
    }
    return builder.build();
  }

  private static SslContext sslContext(Path certificates) {
    try {
      return GrpcSslContexts.forClient().trustManager(certificates.toFile()).build();
    } catch (SSLException | RuntimeException e) {
      throw new IllegalArgumentException(
          "shard TLS: cannot use the certificates " + certificates + ": " + e.getMessage(), e);
    }
  }
}
