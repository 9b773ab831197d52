package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.testing.TestSnapshots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnginesTest {
  @TempDir Path dir;

  private Engine engine(String name) throws IOException {
    List<Item> items = List.of(TestSnapshots.item("x", "thing", "", "", 100, 1, Map.of()));
    return new Engine(
        TestSnapshots.build(dir.resolve(name), items),
        null,
        RankingModel.SEARCH_DEFAULT,
        RankingModel.RECOMMEND_DEFAULT);
  }

  @Test
  void aSwappedEngineClosesWhenItsLastCallEnds() throws IOException {
    Engine first = engine("a");
    Engine second = engine("b");
    Engines engines = new Engines(first);
    Engine call = engines.acquire();
    assertSame(first, call);
    engines.swap(second);
    assertFalse(first.closed(), "a call still runs on it");
    assertSame(second, engines.acquire(), "new calls run on the new one");
    second.release();
    call.release();
    assertTrue(first.closed(), "the last call closed it");
    assertFalse(first.tryAcquire(), "a closed engine takes no calls");
    assertThrows(IllegalStateException.class, first::release);
    engines.close();
    assertTrue(second.closed());
    assertThrows(IllegalStateException.class, engines::acquire, "after shutdown nothing runs");
  }
}
