package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A thread lowers its own priority and no other thread's; the request pool's threads run niced. */
class ThreadNicenessTest {
  @Test
  void aThreadSetsItsOwnNicenessOnly() throws Exception {
    Assumptions.assumeTrue(
        System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"));
    int before = ThreadNiceness.current();
    AtomicInteger inside = new AtomicInteger(-1);
    AtomicInteger pool = new AtomicInteger(-1);
    Thread t =
        new Thread(
            () -> {
              ThreadNiceness.setCurrent(7);
              inside.set(ThreadNiceness.current());
            },
            "niceness-test");
    t.start();
    t.join();
    assertEquals(7, inside.get());
    assertEquals(before, ThreadNiceness.current(), "the calling thread kept its niceness");
    Thread rpc =
        MagpieServer.named("niceness-test-rpc-", 10)
            .newThread(() -> pool.set(ThreadNiceness.current()));
    rpc.start();
    rpc.join();
    assertEquals(10, pool.get());
    assertThrows(
        IllegalArgumentException.class, () -> ThreadNiceness.setCurrent(-1), "never raised");
  }
}
