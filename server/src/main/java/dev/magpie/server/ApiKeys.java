package dev.magpie.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The API keys a server accepts, each with a client name and a {@link Role}. Keys are kept only as
 * SHA-256 digests, so a heap dump does not leak them and a lookup compares digests, not secrets.
 * Read from a file of lines {@code name<TAB>role<TAB>key} ('#' starts a comment); a bad line is an
 * error naming the file, line and field. Immutable, thread-safe.
 */
public final class ApiKeys {
  /** Shortest key accepted: 16 characters (about 96 bits from a random base64 string). */
  static final int MIN_KEY_CHARS = 16;

  /**
   * Who a key belongs to.
   *
   * @param name the client's name (for logs, metrics and rate limits)
   * @param role what it may do
   */
  public record Client(String name, Role role) {}

  private final Map<String, Client> byDigest;

  private ApiKeys(Map<String, Client> byDigest) {
    this.byDigest = Map.copyOf(byDigest);
  }

  /** Keys given in code: each entry maps a key to its client. */
  static ApiKeys of(Map<String, Client> keys) {
    Map<String, Client> m = new HashMap<>();
    keys.forEach((key, client) -> m.put(digest(key), client));
    return new ApiKeys(m);
  }

  /**
   * Reads {@code file}.
   *
   * @throws IllegalArgumentException naming the file, line and field of a bad line
   */
  public static ApiKeys read(Path file) throws IOException {
    Map<String, Client> m = new HashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + ":" + (i + 1) + ": ";
      String[] f = line.split("\t");
      if (f.length != 3) {
        throw new IllegalArgumentException(
            where + "expected name<TAB>role<TAB>key, got " + f.length + " fields");
      }
      Role role;
      try {
        role = Role.parse(f[1]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + e.getMessage());
      }
      if (f[2].strip().length() < MIN_KEY_CHARS) {
        throw new IllegalArgumentException(
            where + "key of '" + f[0] + "' is shorter than " + MIN_KEY_CHARS + " characters");
      }
      if (m.put(digest(f[2].strip()), new Client(f[0].strip(), role)) != null) {
        throw new IllegalArgumentException(where + "the key of '" + f[0] + "' is given twice");
      }
    }
    return new ApiKeys(m);
  }

  /** The client of {@code key}, or null when no such key is known. */
  Client client(String key) {
    return byDigest.get(digest(key));
  }

  /** How many keys there are. */
  public int size() {
    return byDigest.size();
  }

  private static String digest(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
