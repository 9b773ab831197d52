package dev.magpie.server;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers a request whose bytes are not its method's message (invalid UTF-8 in a string field, a
 * truncated or malformed field) with INVALID_ARGUMENT naming the message type and the parser's
 * reason. Left to grpc-java, such a request fails inside the transport with UNKNOWN "Application
 * error processing RPC", which tells the caller nothing. The wrapped service's methods take the
 * request's bytes and parse them in the call's listener, where a failure can be answered.
 */
final class UnparsableRequests {
  private UnparsableRequests() {}

  /** {@code service} with each method parsing its request itself. */
  static ServerServiceDefinition refused(ServerServiceDefinition service) {
    List<ServerMethodDefinition<InputStream, ?>> methods = new ArrayList<>();
    ServiceDescriptor original = service.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor =
        ServiceDescriptor.newBuilder(original.getName())
            .setSchemaDescriptor(original.getSchemaDescriptor());
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<InputStream, ?> raw = parsedInListener(method);
      methods.add(raw);
      descriptor.addMethod(raw.getMethodDescriptor());
    }
    ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
    for (ServerMethodDefinition<InputStream, ?> method : methods) {
      out.addMethod(method);
    }
    return out.build();
  }

  private static <Q, R> ServerMethodDefinition<InputStream, R> parsedInListener(
      ServerMethodDefinition<Q, R> method) {
    MethodDescriptor<Q, R> typed = method.getMethodDescriptor();
    MethodDescriptor<InputStream, R> raw =
        typed.toBuilder(BYTES, typed.getResponseMarshaller()).build();
    ServerCallHandler<Q, R> handler = method.getServerCallHandler();
    return ServerMethodDefinition.create(
        raw,
        (call, headers) -> {
          ServerCall.Listener<Q> listener =
              handler.startCall(new TypedCall<>(call, typed), headers);
          return new ParsingListener<>(call, typed, listener);
        });
  }

  /** Parses each request; refuses the call on the first that does not parse. */
  private static final class ParsingListener<Q, R> extends ServerCall.Listener<InputStream> {
    private final ServerCall<InputStream, R> call;
    private final MethodDescriptor<Q, R> method;
    private final ServerCall.Listener<Q> delegate;
    private boolean refused;

    ParsingListener(
        ServerCall<InputStream, R> call,
        MethodDescriptor<Q, R> method,
        ServerCall.Listener<Q> delegate) {
      this.call = call;
      this.method = method;
      this.delegate = delegate;
    }

    @Override
    public void onMessage(InputStream bytes) {
      if (refused) {
        return;
      }
      Q request;
      try {
        request = method.parseRequest(bytes);
      } catch (RuntimeException e) {
        refused = true;
        call.close(
            Status.INVALID_ARGUMENT.withDescription(
                "the request is not a valid " + requestType(method) + ": " + reason(e)),
            new Metadata());
        return;
      }
      delegate.onMessage(request);
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        delegate.onHalfClose();
      }
    }

    @Override
    public void onCancel() {
      delegate.onCancel();
    }

    @Override
    public void onComplete() {
      delegate.onComplete();
    }

    @Override
    public void onReady() {
      delegate.onReady();
    }
  }

  /** "magpie.v1.SearchRequest", or the method's name when its schema is not known. */
  private static String requestType(MethodDescriptor<?, ?> method) {
    if (method.getRequestMarshaller()
            instanceof MethodDescriptor.ReflectableMarshaller<?> reflectable
        && reflectable.getMessageClass() != null) {
      return reflectable.getMessageClass().getSimpleName();
    }
    return "request of " + method.getFullMethodName();
  }

  /**
   * The deepest cause's message: the parser's own words ("Protocol message had invalid UTF-8.").
   */
  private static String reason(Throwable e) {
    Throwable deepest = e;
    while (deepest.getCause() != null && deepest.getCause() != deepest) {
      deepest = deepest.getCause();
    }
    String message = deepest.getMessage();
    return message == null ? deepest.getClass().getSimpleName() : message;
  }

  /**
   * A call as the service's typed handler sees it: every method forwarded to the call that carries
   * bytes (grpc's {@link ForwardingServerCall}, so none is missed), but its own typed descriptor.
   */
  private static final class TypedCall<Q, R> extends ForwardingServerCall<Q, R> {
    private final ServerCall<InputStream, R> call;
    private final MethodDescriptor<Q, R> method;

    TypedCall(ServerCall<InputStream, R> call, MethodDescriptor<Q, R> method) {
      this.call = call;
      this.method = method;
    }

    /**
     * The byte-carrying call, typed as this one: sound, since a call uses its request type only in
     * {@link #getMethodDescriptor()}, which this class answers itself.
     */
    @Override
    @SuppressWarnings("unchecked")
    protected ServerCall<Q, R> delegate() {
      return (ServerCall<Q, R>) (ServerCall<?, R>) call;
    }

    @Override
    public MethodDescriptor<Q, R> getMethodDescriptor() {
      return method;
    }
  }

  /** The request as its bytes; parsed later by the typed method. */
  private static final MethodDescriptor.Marshaller<InputStream> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
          return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
          return stream;
        }
      };
}
