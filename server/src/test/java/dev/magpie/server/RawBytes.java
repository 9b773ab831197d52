package dev.magpie.server;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Messages as the bytes on the wire, for tests that send what the generated builders cannot make.
 */
final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
  /** The one instance. */
  static final RawBytes MARSHALLER = new RawBytes();

  private RawBytes() {}

  /** {@code method} carrying bytes both ways. */
  static MethodDescriptor<byte[], byte[]> of(MethodDescriptor<?, ?> method) {
    return method.toBuilder(MARSHALLER, MARSHALLER).build();
  }

  @Override
  public InputStream stream(byte[] value) {
    return new ByteArrayInputStream(value);
  }

  @Override
  public byte[] parse(InputStream stream) {
    try {
      return stream.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
