package dev.magpie.server;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;

/**
 * The server's TLS identity: a certificate chain and private key as PEM files, or a PKCS#12
 * keystore with its password. Turning it into Netty's server context checks that the files read.
 *
 * @param certChain PEM certificate chain, or null with a keystore
 * @param privateKey PEM private key (PKCS#8), or null with a keystore
 * @param keystore PKCS#12 keystore holding the key and its chain, or null with PEM files
 * @param password the keystore's password (empty for none); unused with PEM files
 */
public record Tls(Path certChain, Path privateKey, Path keystore, char[] password) {
  /** A TLS identity from PEM files. */
  public static Tls pem(Path certChain, Path privateKey) {
    return new Tls(certChain, privateKey, null, new char[0]);
  }

  /** A TLS identity from a PKCS#12 keystore. */
  public static Tls pkcs12(Path keystore, char[] password) {
    return new Tls(null, null, keystore, password.clone());
  }

  /**
   * Netty's server context for this identity.
   *
   * @throws IllegalArgumentException naming the file that cannot be used, and why
   */
  SslContext serverContext() {
    try {
      if (keystore == null) {
        return GrpcSslContexts.configure(
                SslContextBuilder.forServer(certChain.toFile(), privateKey.toFile()))
            .build();
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keystore)) {
        store.load(in, password);
      }
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      return GrpcSslContexts.configure(SslContextBuilder.forServer(keys)).build();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          "TLS: cannot use "
              + (keystore != null ? keystore : certChain + " and " + privateKey)
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
