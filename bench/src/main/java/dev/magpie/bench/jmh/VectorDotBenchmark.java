package dev.magpie.bench.jmh;

import dev.magpie.engine.vector.FloatDotProduct;
import dev.magpie.engine.vector.Int8DotProduct;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The distance kernels of vector search, one query against rows visited in a random order (as a
 * graph walk visits them), over more rows than the caches hold: Magpie's int8 kernel against the
 * float32 kernel used for rescoring and the scalar int8 loop. Nanoseconds per row scored.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class VectorDotBenchmark {
  private static final int ORDER = 1 << 16;
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

  /** Dimension. */
  @Param({"384"})
  int dim;

  /** Rows: 100k rows of 384 are 38 MB of codes and 154 MB of floats. */
  @Param({"100000"})
  int rows;

  private Arena arena;
  private MemorySegment codes;
  private MemorySegment floats;
  private byte[] queryCodes;
  private float[] queryFloats;
  private int[] order;
  private int next;
  private final int[] four = new int[4];

  /** Random codes, floats and visiting order. */
  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    arena = Arena.ofShared();
    codes = arena.allocate((long) rows * dim, 64);
    floats = arena.allocate(4L * rows * dim, 64);
    for (long i = 0; i < (long) rows * dim; i++) {
      codes.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt(-127, 128));
      floats.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) random.nextDouble(-1, 1));
    }
    queryCodes = new byte[dim];
    queryFloats = new float[dim];
    for (int d = 0; d < dim; d++) {
      queryCodes[d] = (byte) random.nextInt(-127, 128);
      queryFloats[d] = (float) random.nextDouble(-1, 1);
    }
    order = new int[ORDER];
    for (int i = 0; i < ORDER; i++) {
      order[i] = random.nextInt(rows);
    }
  }

  /** Frees the rows. */
  @TearDown
  public void tearDown() {
    arena.close();
  }

  private int nextRow() {
    next = (next + 1) & (ORDER - 1);
    return order[next];
  }

  /** The int8 kernel search uses. */
  @Benchmark
  public int int8() {
    return Int8DotProduct.dot(codes, (long) nextRow() * dim, queryCodes);
  }

  /**
   * The int8 kernel scoring four rows in one loop, as graph walks and exact scans do: per row, so
   * that it compares with {@link #int8}.
   */
  @Benchmark
  @OperationsPerInvocation(4)
  public void int8FourRows(Blackhole sink) {
    Int8DotProduct.dot4(
        codes,
        (long) nextRow() * dim,
        (long) nextRow() * dim,
        (long) nextRow() * dim,
        (long) nextRow() * dim,
        queryCodes,
        four,
        0);
    sink.consume(four);
  }

  /** The float32 kernel rescoring uses. */
  @Benchmark
  public float float32() {
    return FloatDotProduct.dot(floats, 4L * dim * nextRow(), queryFloats);
  }

  /**
   * The float32 kernel with the Vector API's own lane reduction ({@code reduceLanes}), whose order
   * of additions is unspecified: what {@link FloatDotProduct} did before it summed lanes in order
   * (the price of the same float in every JVM).
   */
  @Benchmark
  public float float32ReduceLanes() {
    long offset = 4L * dim * nextRow();
    FloatVector sum = FloatVector.zero(FLOATS);
    int step = FLOATS.length();
    int i = 0;
    for (int bound = dim - dim % step; i < bound; i += step) {
      FloatVector x =
          FloatVector.fromMemorySegment(FLOATS, floats, offset + 4L * i, ByteOrder.LITTLE_ENDIAN);
      sum = x.fma(FloatVector.fromArray(FLOATS, queryFloats, i), sum);
    }
    float total = sum.reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      total += floats.get(ValueLayout.JAVA_FLOAT_UNALIGNED, offset + 4L * i) * queryFloats[i];
    }
    return total;
  }

  /** One byte at a time: the floor the Vector API has to beat. */
  @Benchmark
  public int int8Scalar() {
    long offset = (long) nextRow() * dim;
    int total = 0;
    for (int i = 0; i < dim; i++) {
      total += codes.get(ValueLayout.JAVA_BYTE, offset + i) * queryCodes[i];
    }
    return total;
  }
}
