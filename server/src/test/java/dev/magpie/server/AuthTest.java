package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.api.v1.AdminGrpc;
import dev.magpie.api.v1.Event;
import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.ItemUpdate;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.RecordEventsRequest;
import dev.magpie.api.v1.StatsRequest;
import dev.magpie.api.v1.StatsResponse;
import dev.magpie.api.v1.UpdateItemsRequest;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.testing.TestSnapshots;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API keys on the real server over loopback: who gets in, and to what. */
class AuthTest {
  private static final String READ_KEY = "read-key-0123456789abcdef";
  private static final String ADMIN_KEY = "admin-key-0123456789abcdef";
  private static final String WRITE_KEY = "write-key-0123456789abcdef";

  @TempDir static Path dir;
  private static Loopback loopback;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      items.add(
          TestSnapshots.item("i" + i, "garden hose " + i, "Acme", "Garden", 1_000, 3, Map.of()));
    }
    Path keys =
        Files.writeString(
            dir.resolve("keys.tsv"),
            "# name\trole\tkey\nagent-app\tread\t"
                + READ_KEY
                + "\nops\tadmin\t"
                + ADMIN_KEY
                + "\nfeed\twrite\t"
                + WRITE_KEY
                + "\n");
    loopback =
        Loopback.start(
            TestSnapshots.build(dir.resolve("s"), items),
            ServerConfig.builder().keys(ApiKeys.read(keys)).wal(dir.resolve("wal")).build());
    channel = loopback.channel();
  }

  @AfterAll
  static void stop() throws Exception {
    loopback.close();
  }

  private static <S extends AbstractStub<S>> S with(S stub, String header, String value) {
    Metadata m = new Metadata();
    m.put(Metadata.Key.of(header, Metadata.ASCII_STRING_MARSHALLER), value);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static Status refusal(Runnable call) {
    return assertThrows(StatusRuntimeException.class, call::run).getStatus();
  }

  private static final GetItemsRequest LOOKUP = GetItemsRequest.newBuilder().addIds("i1").build();

  @Test
  void updatesNeedAWriteKey() {
    dev.magpie.api.v1.UpdateItemsRequest update =
        dev.magpie.api.v1.UpdateItemsRequest.newBuilder()
            .addUpdates(dev.magpie.api.v1.ItemUpdate.newBuilder().setItemId("i2").setStock(7))
            .build();
    Status denied =
        refusal(
            () ->
                with(MagpieGrpc.newBlockingStub(channel), "x-api-key", READ_KEY)
                    .updateItems(update));
    assertEquals(Status.Code.PERMISSION_DENIED, denied.getCode());
    assertEquals(
        "the key of 'agent-app' may read; magpie.v1.Magpie/UpdateItems needs write",
        denied.getDescription());
    assertEquals(
        1,
        with(MagpieGrpc.newBlockingStub(channel), "x-api-key", WRITE_KEY)
            .updateItems(update)
            .getApplied());
    assertEquals(
        7,
        with(MagpieGrpc.newBlockingStub(channel), "x-api-key", READ_KEY)
            .getItems(GetItemsRequest.newBuilder().addIds("i2").build())
            .getItems(0)
            .getStock(),
        "a write key may also read");
  }

  @Test
  void readMethodsNeedAKnownKey() {
    MagpieGrpc.MagpieBlockingStub anonymous =
        MagpieGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    Status none = refusal(() -> anonymous.getItems(LOOKUP));
    assertEquals(Status.Code.UNAUTHENTICATED, none.getCode());
    assertTrue(none.getDescription().contains("authorization: Bearer KEY"), none.getDescription());
    Status unknown =
        refusal(
            () ->
                with(
                        MagpieGrpc.newBlockingStub(channel),
                        "authorization",
                        "Bearer not-a-key-at-all")
                    .getItems(LOOKUP));
    assertEquals(Status.Code.UNAUTHENTICATED, unknown.getCode());
    assertEquals("unknown API key", unknown.getDescription());
    assertEquals(
        "i1",
        with(MagpieGrpc.newBlockingStub(channel), "authorization", "Bearer " + READ_KEY)
            .getItems(LOOKUP)
            .getItems(0)
            .getId());
    assertEquals(
        "i1",
        with(MagpieGrpc.newBlockingStub(channel), "x-api-key", READ_KEY)
            .getItems(LOOKUP)
            .getItems(0)
            .getId());
    assertEquals(
        "i1",
        with(MagpieGrpc.newBlockingStub(channel), "x-api-key", ADMIN_KEY)
            .getItems(LOOKUP)
            .getItems(0)
            .getId(),
        "admin includes read");
  }

  @Test
  void adminNeedsAnAdminKey() {
    Status denied =
        refusal(
            () ->
                with(AdminGrpc.newBlockingStub(channel), "x-api-key", READ_KEY)
                    .stats(StatsRequest.getDefaultInstance()));
    assertEquals(Status.Code.PERMISSION_DENIED, denied.getCode());
    assertEquals(
        "the key of 'agent-app' may read; magpie.v1.Admin/Stats needs admin",
        denied.getDescription());
    StatsResponse stats =
        with(AdminGrpc.newBlockingStub(channel), "authorization", "Bearer " + ADMIN_KEY)
            .stats(StatsRequest.getDefaultInstance());
    assertEquals(5, stats.getItems());
    assertEquals("search-default", stats.getSearchModel());
    assertTrue(stats.getSizeBytes() > 0);
  }

  /**
   * Every method of both services, with no key, an unknown key, and each key of a role below the
   * one it needs, is refused before it runs: UNAUTHENTICATED or PERMISSION_DENIED. The write
   * methods carry valid requests, so one let through would change the item or the log. A method
   * added to the API without a decision about its role fails here.
   */
  @Test
  void everyMethodRefusesMissingWrongAndWeakerKeys() {
    Map<String, Role> needs =
        Map.of(
            MagpieGrpc.getSearchMethod().getFullMethodName(), Role.READ,
            MagpieGrpc.getGetItemsMethod().getFullMethodName(), Role.READ,
            MagpieGrpc.getRecommendMethod().getFullMethodName(), Role.READ,
            MagpieGrpc.getSimilarItemsMethod().getFullMethodName(), Role.READ,
            MagpieGrpc.getCompareItemsMethod().getFullMethodName(), Role.READ,
            MagpieGrpc.getCompleteBasketMethod().getFullMethodName(), Role.READ,
            MagpieGrpc.getUpdateItemsMethod().getFullMethodName(), Role.WRITE,
            MagpieGrpc.getRecordEventsMethod().getFullMethodName(), Role.WRITE,
            AdminGrpc.getStatsMethod().getFullMethodName(), Role.ADMIN,
            AdminGrpc.getReloadMethod().getFullMethodName(), Role.ADMIN);
    Map<String, byte[]> bodies =
        Map.of(
            MagpieGrpc.getUpdateItemsMethod().getFullMethodName(),
                UpdateItemsRequest.newBuilder()
                    .addUpdates(ItemUpdate.newBuilder().setItemId("i4").setStock(99))
                    .build()
                    .toByteArray(),
            MagpieGrpc.getRecordEventsMethod().getFullMethodName(),
                RecordEventsRequest.newBuilder()
                    .addEvents(
                        Event.newBuilder().setUser("intruder").setItemId("i4").setType("buy"))
                    .build()
                    .toByteArray(),
            MagpieGrpc.getGetItemsMethod().getFullMethodName(), LOOKUP.toByteArray());
    Map<Role, String> keys =
        Map.of(Role.READ, READ_KEY, Role.WRITE, WRITE_KEY, Role.ADMIN, ADMIN_KEY);
    long logged =
        with(AdminGrpc.newBlockingStub(channel), "x-api-key", ADMIN_KEY)
            .stats(StatsRequest.getDefaultInstance())
            .getWalSequence();
    int refusals = 0;
    List<MethodDescriptor<?, ?>> methods =
        new ArrayList<>(MagpieGrpc.getServiceDescriptor().getMethods());
    methods.addAll(AdminGrpc.getServiceDescriptor().getMethods());
    for (MethodDescriptor<?, ?> method : methods) {
      String name = method.getFullMethodName();
      Role needed = needs.get(name);
      assertTrue(
          needed != null, name + " is new: decide which role it needs, here and in MagpieServer");
      byte[] body = bodies.getOrDefault(name, new byte[0]);
      assertEquals(
          Status.Code.UNAUTHENTICATED, rawCall(method, body, null, null), name + " without a key");
      assertEquals(
          Status.Code.UNAUTHENTICATED,
          rawCall(method, body, "x-api-key", "unknown-key-0123456789"),
          name + " with an unknown key");
      assertEquals(
          Status.Code.UNAUTHENTICATED,
          rawCall(method, body, "authorization", "Basic " + ADMIN_KEY),
          name + " with a key in the wrong scheme");
      refusals += 3;
      for (Role weaker : Role.values()) {
        if (weaker.ordinal() < needed.ordinal()) {
          assertEquals(
              Status.Code.PERMISSION_DENIED,
              rawCall(method, body, "x-api-key", keys.get(weaker)),
              name + " with a " + weaker + " key");
          refusals++;
        }
      }
    }
    assertEquals(
        3,
        with(MagpieGrpc.newBlockingStub(channel), "x-api-key", READ_KEY)
            .getItems(GetItemsRequest.newBuilder().addIds("i4").build())
            .getItems(0)
            .getStock(),
        "no refused update applied");
    assertEquals(
        logged,
        with(AdminGrpc.newBlockingStub(channel), "x-api-key", ADMIN_KEY)
            .stats(StatsRequest.getDefaultInstance())
            .getWalSequence(),
        "nothing refused was logged");
    assertEquals(10 * 3 + 2 + 2 * 2, refusals, "every method and credential tried");
  }

  /**
   * Calls {@code method} with {@code body} and one header (none when null); the status code it ends
   * with.
   */
  private static Status.Code rawCall(
      MethodDescriptor<?, ?> method, byte[] body, String header, String value) {
    Metadata m = new Metadata();
    if (header != null) {
      m.put(Metadata.Key.of(header, Metadata.ASCII_STRING_MARSHALLER), value);
    }
    try {
      ClientCalls.blockingUnaryCall(
          ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(m)),
          RawBytes.of(method),
          CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
          body);
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void healthIsOpen() {
    assertEquals(
        HealthCheckResponse.ServingStatus.SERVING,
        HealthGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance())
            .getStatus());
  }

  @Test
  void badKeyFilesNameTheLineAndField(@TempDir Path tmp) throws IOException {
    Path f =
        Files.writeString(
            tmp.resolve("k"), "a\tread\t" + READ_KEY + "\nb\towner\t" + ADMIN_KEY + "\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.read(f));
    assertEquals(f + ":2: role must be read, write or admin, got 'owner'", e.getMessage());
    Path shortKey = Files.writeString(tmp.resolve("s"), "a\tread\tshort\n");
    assertEquals(
        shortKey + ":1: key of 'a' is shorter than 16 characters",
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.read(shortKey)).getMessage());
    Path twice =
        Files.writeString(
            tmp.resolve("t"), "a\tread\t" + READ_KEY + "\nb\tadmin\t" + READ_KEY + "\n");
    assertEquals(
        twice + ":2: the key of 'b' is given twice",
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.read(twice)).getMessage());
  }
}
