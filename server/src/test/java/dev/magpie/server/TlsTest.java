package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.SearchResponse;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.testing.TestSnapshots;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over TLS on loopback, its identity a keystore made by the JDK's keytool. */
class TlsTest {
  private static final char[] PASSWORD = "test-password".toCharArray();

  @TempDir Path dir;

  private Path keystore() throws Exception {
    Path file = dir.resolve("server.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "magpie",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-keystore",
                file.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                new String(PASSWORD))
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool: " + output);
    return file;
  }

  @Test
  void callsOverTlsWorkAndPlaintextOnesDoNot() throws Exception {
    Path keystore = keystore();
    List<Item> items =
        List.of(TestSnapshots.item("a", "garden hose", "Acme", "Garden", 100, 1, Map.of()));
    MagpieServer server =
        MagpieServer.start(
            TestSnapshots.build(dir.resolve("s"), items),
            ServerConfig.builder().tls(Tls.pkcs12(keystore, PASSWORD)).build());
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      trusted.load(in, PASSWORD);
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    ManagedChannel secure =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port())
            .sslContext(GrpcSslContexts.forClient().trustManager(trust).build())
            .build();
    ManagedChannel plain =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      GetItemsRequest lookup = GetItemsRequest.newBuilder().addIds("a").build();
      assertEquals(
          "a",
          MagpieGrpc.newBlockingStub(secure)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getItems(lookup)
              .getItems(0)
              .getId());
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  MagpieGrpc.newBlockingStub(plain)
                      .withDeadlineAfter(10, TimeUnit.SECONDS)
                      .getItems(lookup));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
    } finally {
      secure.shutdownNow();
      plain.shutdownNow();
      server.close();
    }
  }

  @Test
  void aWrongKeystorePasswordIsAClearError() throws Exception {
    Path keystore = keystore();
    Snapshot snapshot =
        TestSnapshots.build(
            dir.resolve("s2"),
            List.of(TestSnapshots.item("a", "garden hose", "Acme", "Garden", 100, 1, Map.of())));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MagpieServer.start(
                    snapshot,
                    ServerConfig.builder()
                        .tls(Tls.pkcs12(keystore, "wrong".toCharArray()))
                        .build()));
    assertTrue(e.getMessage().startsWith("TLS: cannot use " + keystore + ": "), e.getMessage());
  }

  @Test
  void aRouterReachesShardServersOverTls() throws Exception {
    Path keystore = keystore();
    Path certificate = dir.resolve("server.pem");
    Process export =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-exportcert",
                "-rfc",
                "-alias",
                "magpie",
                "-keystore",
                keystore.toString(),
                "-storepass",
                new String(PASSWORD),
                "-file",
                certificate.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(export.getInputStream().readAllBytes());
    assertTrue(export.waitFor(60, TimeUnit.SECONDS) && export.exitValue() == 0, output);
    List<Item> items =
        List.of(
            TestSnapshots.item("a", "garden hose", "Acme", "Garden", 100, 1, Map.of()),
            TestSnapshots.item("b", "garden rake", "Acme", "Garden", 200, 1, Map.of()));
    MagpieServer shard =
        MagpieServer.start(
            TestSnapshots.buildShards(dir.resolve("c"), items, 1, Knowledge.EMPTY).getFirst(),
            ServerConfig.builder().tls(Tls.pkcs12(keystore, PASSWORD)).build());
    List<List<RouterServer.Replica>> replicas =
        List.of(List.of(new RouterServer.Replica("127.0.0.1", shard.port())));
    ServerConfig front = ServerConfig.builder().host("127.0.0.1").port(0).build();
    SearchRequest garden =
        SearchRequest.newBuilder().setQuery("garden").setK(5).setRequireFullCoverage(true).build();
    try {
      try (RouterServer router =
          RouterServer.start(replicas, front, new ShardAccess(null, certificate))) {
        assertTrue(router.warnings().isEmpty(), router.warnings().toString());
        ManagedChannel channel =
            NettyChannelBuilder.forAddress("127.0.0.1", router.port()).usePlaintext().build();
        try {
          SearchResponse found =
              MagpieGrpc.newBlockingStub(channel)
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .search(garden);
          assertEquals(2, found.getHitsCount());
        } finally {
          channel.shutdownNow();
        }
      }
      // A router that speaks plaintext to a TLS shard gets no answer from it.
      try (RouterServer router = RouterServer.start(replicas, front)) {
        assertTrue(
            router.warnings().stream().anyMatch(w -> w.contains("does not answer yet")),
            router.warnings().toString());
        ManagedChannel channel =
            NettyChannelBuilder.forAddress("127.0.0.1", router.port()).usePlaintext().build();
        try {
          StatusRuntimeException e =
              assertThrows(
                  StatusRuntimeException.class,
                  () ->
                      MagpieGrpc.newBlockingStub(channel)
                          .withDeadlineAfter(10, TimeUnit.SECONDS)
                          .search(garden));
          assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
        } finally {
          channel.shutdownNow();
        }
      }
    } finally {
      shard.close();
    }
    IllegalArgumentException notPem =
        assertThrows(IllegalArgumentException.class, () -> new ShardAccess(null, keystore));
    assertTrue(
        notPem.getMessage().startsWith("shard TLS: cannot use the certificates " + keystore),
        notPem.getMessage());
  }
}
