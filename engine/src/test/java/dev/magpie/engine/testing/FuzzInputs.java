package dev.magpie.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The short, every-build run of a fuzz target: its seed corpus (the Jazzer inputs directory in the
 * test resources, {@code <TestClass>Inputs/<method>/}) mutated at random, a fixed number of times,
 * through the same target the {@code @FuzzTest} drives. Jazzer's own coverage-guided fuzzing runs
 * one target at a time in the long mode ({@code scripts/fuzz.sh}); this catches what random edits
 * of the seeds reach, with a printed seed so a failure replays.
 */
public final class FuzzInputs {
  private static final byte[][] INTERESTING = {
    {0},
    {(byte) 0xFF},
    {(byte) 0x80},
    {(byte) 0xC3, (byte) 0x28},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {'"'},
    {'\\'},
    {','},
    {'\t'},
    {'\n'},
    {'\r'},
    {'{'},
    {'}'},
    {'['},
    {']'},
    {':'},
    {'-'},
    {'.'},
    {'e'},
    "NaN".getBytes(),
    "1e309".getBytes(),
    "-1".getBytes(),
    "99999999999999999999".getBytes(),
    "\\u0000".getBytes(),
  };

  private FuzzInputs() {}

  /** The seed inputs of {@code testClass}'s fuzz test {@code method}, in name order. */
  public static List<byte[]> seeds(Class<?> testClass, String method) {
    String resource = testClass.getSimpleName() + "Inputs/" + method;
    URL url = testClass.getResource(resource);
    if (url == null) {
      throw new IllegalStateException(
          "no seed corpus " + resource + " next to " + testClass.getName());
    }
    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
      List<byte[]> seeds = new ArrayList<>();
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        seeds.add(Files.readAllBytes(file));
      }
      return seeds;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs {@code target} on each seed and on {@code count} random mutations of them.
   *
   * @return how many inputs ran
   */
  public static int run(
      Random random, Class<?> testClass, String method, int count, Consumer<byte[]> target) {
    List<byte[]> seeds = seeds(testClass, method);
    for (byte[] seed : seeds) {
      target.accept(seed.clone());
    }
    for (int i = 0; i < count; i++) {
      byte[] input = seeds.get(random.nextInt(seeds.size()));
      int edits = 1 + random.nextInt(8);
      for (int e = 0; e < edits; e++) {
        input = mutate(random, input, seeds.get(random.nextInt(seeds.size())));
      }
      target.accept(input);
    }
    return seeds.size() + count;
  }

  /**
   * One random edit of {@code input}: a byte changed, bytes inserted, deleted or copied, or a
   * splice.
   */
  static byte[] mutate(Random random, byte[] input, byte[] other) {
    int at = input.length == 0 ? 0 : random.nextInt(input.length + 1);
    return switch (random.nextInt(7)) {
      case 0 -> {
        if (input.length == 0) {
          yield new byte[] {(byte) random.nextInt(256)};
        }
        byte[] out = input.clone();
        out[Math.min(at, out.length - 1)] ^= (byte) (1 << random.nextInt(8));
        yield out;
      }
      case 1 -> insert(input, at, new byte[] {(byte) random.nextInt(256)});
      case 2 -> insert(input, at, INTERESTING[random.nextInt(INTERESTING.length)]);
      case 3 -> {
        int length = Math.min(input.length - at, random.nextInt(16));
        byte[] out = new byte[input.length - length];
        System.arraycopy(input, 0, out, 0, at);
        System.arraycopy(input, at + length, out, at, input.length - at - length);
        yield out;
      }
      case 4 -> {
        int length = Math.min(input.length - at, random.nextInt(64));
        byte[] piece = new byte[length];
        System.arraycopy(input, at, piece, 0, length);
        yield insert(input, random.nextInt(input.length + 1), piece);
      }
      case 5 -> {
        int cut = other.length == 0 ? 0 : random.nextInt(other.length + 1);
        byte[] out = new byte[at + other.length - cut];
        System.arraycopy(input, 0, out, 0, at);
        System.arraycopy(other, cut, out, at, other.length - cut);
        yield out;
      }
      default -> {
        byte[] out = input.clone();
        if (out.length > 0) {
          out[Math.min(at, out.length - 1)] = (byte) random.nextInt(256);
        }
        yield out;
      }
    };
  }

  private static byte[] insert(byte[] input, int at, byte[] piece) {
    byte[] out = new byte[input.length + piece.length];
    System.arraycopy(input, 0, out, 0, at);
    System.arraycopy(piece, 0, out, at, piece.length);
    System.arraycopy(input, at, out, at + piece.length, input.length - at);
    return out;
  }
}
