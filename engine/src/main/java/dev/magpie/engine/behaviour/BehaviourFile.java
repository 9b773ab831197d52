package dev.magpie.engine.behaviour;

import dev.magpie.engine.io.ChecksummedFileWriter;
import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.io.MappedFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The behaviour model in one snapshot file, {@value #PATH}, mapped off-heap when opened (the
 * snapshot's arena owns the mapping). The body, in the common envelope ({@link
 * dev.magpie.engine.io.FileFormat}), every section starting on an 8-byte boundary:
 *
 * <pre>
 *  section                       size
 *  +------------------------------------------------------------+
 *  | item stats: 9 columns       9 * 4n (views, favs, carts, buys, |
 *  |   (see ItemStats)             ratings, users: int32;          |
 *  |                               popularity, conversion, age:    |
 *  |                               float32)                        |
 *  | together: offsets           4(n + 1)   (see ItemRelations)    |
 *  |           neighbours        4 e1                              |
 *  |           weights           4 e1                              |
 *  | complements: offsets        4(n + 1)                          |
 *  |              neighbours     4 e2                              |
 *  |              weights        4 e2                              |
 *  +------------------------------------------------------------+
 *  parameters: n (items), e1, e2, latest event time (epoch seconds)
 * </pre>
 *
 * The build parameters go into the manifest ({@link #buildParameters}).
 */
public final class BehaviourFile {
  /** Path inside a snapshot version. */
  public static final String PATH = "behaviour/model.bin";

  /** File kind in the header. */
  public static final String KIND = "behaviour";

  /** Format version. */
  public static final int VERSION = 2;

  private BehaviourFile() {}

  /** Writes {@code model} to {@code file}; the caller lists it in the manifest. */
  public static ChecksummedFileWriter.WrittenFile write(Path file, BehaviourModel model)
      throws IOException {
    Files.createDirectories(file.getParent());
    try (ChecksummedFileWriter out = ChecksummedFileWriter.create(file, KIND, VERSION)) {
      for (int c = 0; c < ItemStats.COLUMNS; c++) {
        out.writeSegment(model.stats().column(c));
        out.alignTo(8);
      }
      for (ItemRelations r : new ItemRelations[] {model.together(), model.complements()}) {
        out.writeSegment(r.offsets());
        out.alignTo(8);
        out.writeSegment(r.neighbours());
        out.alignTo(8);
        out.writeSegment(r.weights());
        out.alignTo(8);
      }
      return out.finish(
          model.items(), model.together().edges(), model.complements().edges(), model.latest());
    }
  }

  /**
   * Maps {@code file}, verifying its envelope (and checksum when {@code verifyChecksum}) and that
   * its sections fit and its rows are well formed.
   *
   * @param items the snapshot's item count, which the model must cover
   * @throws CorruptFileException naming what does not match
   */
  public static BehaviourModel open(
      Path file, Arena arena, boolean verifyChecksum, int items, BehaviourParameters parameters)
      throws IOException {
    MappedFile mapped = MappedFile.open(file, arena, KIND, VERSION, verifyChecksum);
    long n = mapped.param(0);
    long e1 = mapped.param(1);
    long e2 = mapped.param(2);
    mapped.require(n == items, "behaviour for " + n + " items, the snapshot has " + items);
    mapped.require(
        e1 >= 0 && e2 >= 0 && e1 <= Integer.MAX_VALUE && e2 <= Integer.MAX_VALUE,
        "edge counts " + e1 + " and " + e2);
    MemorySegment body = mapped.body();
    long[] at = {0};
    try {
      MemorySegment[] stats = new MemorySegment[ItemStats.COLUMNS];
      for (int c = 0; c < stats.length; c++) {
        stats[c] = section(body, at, n * 4);
      }
      ItemRelations[] relations = new ItemRelations[2];
      long[] edges = {e1, e2};
      for (int r = 0; r < 2; r++) {
        MemorySegment offsets = section(body, at, (n + 1) * 4);
        MemorySegment neighbours = section(body, at, edges[r] * 4);
        MemorySegment weights = section(body, at, edges[r] * 4);
        relations[r] = new ItemRelations(offsets, neighbours, weights);
      }
      mapped.require(
          at[0] == body.byteSize(),
          "body has " + body.byteSize() + " bytes, the sections " + at[0]);
      return new BehaviourModel(
          new ItemStats(stats), relations[0], relations[1], parameters, mapped.param(3));
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new CorruptFileException(file, e.getMessage());
    }
  }

  /**
   * The next {@code bytes} of {@code body} from {@code at[0]}; moves {@code at[0]} past them to an
   * 8-byte boundary.
   */
  static MemorySegment section(MemorySegment body, long[] at, long bytes) {
    MemorySegment s = body.asSlice(at[0], bytes);
    at[0] += (bytes + 7) & ~7L;
    return s;
  }

  /** The model's build parameters as manifest entries. */
  public static Map<String, String> buildParameters(BehaviourParameters p) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("behaviour.window", Integer.toString(p.window()));
    m.put("behaviour.popularityExponent", Double.toString(p.popularityExponent()));
    m.put("behaviour.neighbours", Integer.toString(p.neighbours()));
    m.put("behaviour.complementHorizonSeconds", Long.toString(p.complementHorizonSeconds()));
    m.put("behaviour.complementMinSupport", Integer.toString(p.complementMinSupport()));
    m.put("behaviour.halfLifeSeconds", Long.toString(p.halfLifeSeconds()));
    return m;
  }

  /** The build parameters read back from manifest entries. */
  public static BehaviourParameters parameters(Map<String, String> build) {
    return new BehaviourParameters(
        Integer.parseInt(build.get("behaviour.window")),
        Double.parseDouble(build.get("behaviour.popularityExponent")),
        Integer.parseInt(build.get("behaviour.neighbours")),
        Long.parseLong(build.get("behaviour.complementHorizonSeconds")),
        Integer.parseInt(build.get("behaviour.complementMinSupport")),
        Long.parseLong(build.get("behaviour.halfLifeSeconds")));
  }
}
