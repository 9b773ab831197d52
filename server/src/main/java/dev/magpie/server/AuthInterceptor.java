package dev.magpie.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Map;

/**
 * Checks the API key of every call against the role its method needs: no key or an unknown one is
 * UNAUTHENTICATED, a role too low is PERMISSION_DENIED, both before the call reaches the service.
 * Health checking and reflection are open (load balancers and tools call them without keys). The
 * caller's {@link ApiKeys.Client} is put in the gRPC context ({@link #CLIENT}) for what follows.
 */
final class AuthInterceptor implements ServerInterceptor {
  /** The authenticated caller of the current call. */
  static final Context.Key<ApiKeys.Client> CLIENT = Context.key("magpie-client");

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> API_KEY =
      Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

  private static final String BEARER = "Bearer ";

  private final ApiKeys keys;
  private final Map<String, Role> services;

  /**
   * @param services the role each service or method needs, by full service name or full method name
   *     (a method's entry wins over its service's); services not listed are open
   */
  AuthInterceptor(ApiKeys keys, Map<String, Role> services) {
    this.keys = keys;
    this.services = Map.copyOf(services);
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Role required =
        services.getOrDefault(method, services.get(call.getMethodDescriptor().getServiceName()));
    if (required == null) {
      return next.startCall(call, headers);
    }
    String key = key(headers);
    if (key == null) {
      return Refusals.refuse(
          call,
          Status.UNAUTHENTICATED.withDescription(
              "no API key: send metadata 'authorization: Bearer KEY' or 'x-api-key: KEY'"),
          -1);
    }
    ApiKeys.Client client = keys.client(key);
    if (client == null) {
      return Refusals.refuse(call, Status.UNAUTHENTICATED.withDescription("unknown API key"), -1);
    }
    if (!client.role().allows(required)) {
      return Refusals.refuse(
          call,
          Status.PERMISSION_DENIED.withDescription(
              "the key of '"
                  + client.name()
                  + "' may "
                  + client.role()
                  + "; "
                  + method
                  + " needs "
                  + required),
          -1);
    }
    return Contexts.interceptCall(Context.current().withValue(CLIENT, client), call, headers, next);
  }

  /** The API key a call presents (bearer token or x-api-key), or null. */
  static String key(Metadata headers) {
    String auth = headers.get(AUTHORIZATION);
    if (auth != null && auth.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return auth.substring(BEARER.length()).strip();
    }
    String key = headers.get(API_KEY);
    return key == null ? null : key.strip();
  }
}
