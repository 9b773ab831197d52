package dev.magpie.bench.jmh;

import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.store.Hashing;
import dev.magpie.engine.store.StringColumn;
import dev.magpie.engine.store.StringColumnWriter;
import dev.magpie.engine.store.StringHashIndex;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * External id to item ordinal, the lookup behind GetItems, CompareItems and every update: Magpie's
 * memory-mapped {@link StringHashIndex} against chronicle-map (the off-heap map we would otherwise
 * use) and an on-heap {@link HashMap} (the floor, but it costs ~100 bytes of heap per id and GC
 * work). Keys are SKU-like strings of 8 to 20 characters; lookups hit 90% of the time, cycling over
 * 64k pre-drawn keys that are copies of the stored ids (so no map can compare by identity). {@link
 * #encodeAndHash} is the part of Magpie's lookup that touches no table.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Chronicle Map needs these on JDK 25, and must never send its usage analytics.
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xmx3g",
      "-Dchronicle.analytics.disable=true",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
      "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED"
    })
public class IdLookupBenchmark {
  private static final int KEYS = 1 << 16;

  /** Number of ids in the catalog. */
  @Param({"1000000"})
  public int size;

  private Path dir;
  private Arena arena;
  private StringHashIndex index;
  private ChronicleMap<CharSequence, Integer> chronicle;
  private Map<String, Integer> heap;
  private String[] keys;
  private int next;

  /** Builds the three maps over the same ids. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Random random = new Random(42);
    String[] ids = new String[size];
    for (int i = 0; i < size; i++) {
      String body = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
      ids[i] = "SKU-" + body.substring(0, Math.min(body.length(), 4 + random.nextInt(8))) + "-" + i;
    }
    dir = Files.createTempDirectory("magpie-idlookup");
    try (StringColumnWriter out = StringColumnWriter.create(dir.resolve("ids.str"))) {
      for (String id : ids) {
        out.add(id);
      }
      out.finish();
    }
    arena = Arena.ofShared();
    StringColumn column = StringColumn.open(dir.resolve("ids.str"), arena, true);
    StringHashIndex.write(dir.resolve("ids.idx"), column, 7);
    index = StringHashIndex.open(dir.resolve("ids.idx"), arena, column, true);

    chronicle =
        ChronicleMapBuilder.of(CharSequence.class, Integer.class)
            .name("magpie-ids")
            .entries(size)
            .averageKeySize(16)
            .create();
    heap = new HashMap<>(size * 2);
    for (int i = 0; i < size; i++) {
      chronicle.put(ids[i], i);
      heap.put(ids[i], i);
    }
    keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      // Fresh copies, as a request would bring: no identity shortcut in equals.
      keys[i] =
          random.nextInt(10) == 0
              ? "SKU-missing-" + i
              : new String(ids[random.nextInt(size)].toCharArray());
    }
  }

  /** Unmaps and deletes the files, closes the chronicle map. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    chronicle.close();
    arena.close();
    SnapshotStore.deleteTree(dir);
  }

  private String nextKey() {
    next = (next + 1) & (KEYS - 1);
    return keys[next];
  }

  /** Magpie's memory-mapped hash index. */
  @Benchmark
  public int magpieIndex() {
    return index.ordinalOf(nextKey());
  }

  /** UTF-8 encoding and hashing of the key alone: the fixed cost under {@link #magpieIndex}. */
  @Benchmark
  public long encodeAndHash() {
    byte[] bytes = nextKey().getBytes(StandardCharsets.UTF_8);
    return Hashing.hash64(bytes, 0, bytes.length, 7);
  }

  /** chronicle-map, in memory, off-heap. */
  @Benchmark
  public int chronicleMap() {
    Integer ordinal = chronicle.get(nextKey());
    return ordinal == null ? -1 : ordinal;
  }

  /** java.util.HashMap on the heap. */
  @Benchmark
  public int heapHashMap() {
    Integer ordinal = heap.get(nextKey());
    return ordinal == null ? -1 : ordinal;
  }
}
