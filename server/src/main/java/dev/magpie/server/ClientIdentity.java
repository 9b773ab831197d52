package dev.magpie.server;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who a call comes from, for per-client limits: its API key (or the key's client), else its IP
 * address.
 */
final class ClientIdentity {
  private ClientIdentity() {}

  /** The caller of {@code call} (after {@link AuthInterceptor} ran, when keys are configured). */
  static String of(ServerCall<?, ?> call) {
    ApiKeys.Client authenticated = AuthInterceptor.CLIENT.get();
    return authenticated != null ? authenticated.name() : address(call);
  }

  /**
   * The caller as its headers and connection tell, before authentication (on the transport thread):
   * the key it presents, else its IP address. For counting only: never shown, as it may be a key.
   */
  static String beforeAuthentication(ServerCall<?, ?> call, Metadata headers) {
    String key = AuthInterceptor.key(headers);
    return key != null ? "key " + key : address(call);
  }

  private static String address(ServerCall<?, ?> call) {
    SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    return peer instanceof InetSocketAddress inet
        ? inet.getAddress().getHostAddress()
        : String.valueOf(peer);
  }
}
