package dev.magpie.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the formatter does not check in every module's sources: no wildcard imports, and no inline
 * fully-qualified type names in main code ({@code java.util.List} in a method body) where an import
 * would do. A qualified name stays allowed where its simple name is taken by an import of another
 * type or by a type of the same package (Java has no import aliases: the server maps {@code
 * magpie.v1} messages onto engine types of the same names).
 */
class SourceHygieneTest {
  private static final Pattern QUALIFIED =
      Pattern.compile(
          "(?<![\\w.])((?:java|javax|jdk|dev\\.magpie|org|com|io|net|picocli)(?:\\.[a-z][a-z0-9_]*)+)\\.([A-Z]\\w*)");
  private static final Pattern IMPORT =
      Pattern.compile("^import (static )?([\\w.]+)\\.(\\w+|\\*);", Pattern.MULTILINE);

  @Test
  void noWildcardImportsAnywhere() {
    List<String> found = new ArrayList<>();
    for (Path file : sources("src/main/java", "src/test/java")) {
      Matcher m = IMPORT.matcher(read(file));
      while (m.find()) {
        if (m.group(3).equals("*")) {
          found.add(file + ": " + m.group());
        }
      }
    }
    assertEquals(List.of(), found);
  }

  @Test
  void mainCodeImportsWhatItNamesUnlessTheNameIsTaken() {
    List<String> found = new ArrayList<>();
    List<Path> files = sources("src/main/java");
    assertTrue(files.size() > 250, "found only " + files.size() + " sources under " + root());
    for (Path file : files) {
      String source = read(file);
      String code = codeOnly(source);
      Map<String, String> imported = new HashMap<>();
      Matcher im = IMPORT.matcher(source);
      while (im.find()) {
        if (im.group(1) == null) {
          imported.put(im.group(3), im.group(2) + "." + im.group(3));
        }
      }
      Matcher m = QUALIFIED.matcher(code);
      while (m.find()) {
        int lineStart = code.lastIndexOf('\n', m.start()) + 1;
        String line = code.substring(lineStart, Math.max(lineStart, code.indexOf('\n', m.start())));
        if (line.stripLeading().startsWith("import ")
            || line.stripLeading().startsWith("package ")) {
          continue;
        }
        String simple = m.group(2);
        String qualified = m.group(1) + "." + simple;
        boolean taken =
            (imported.containsKey(simple) && !imported.get(simple).equals(qualified))
                || (Files.exists(file.resolveSibling(simple + ".java"))
                    && !file.getParent().endsWith(m.group(1).replace('.', '/')));
        if (!taken) {
          found.add(file + ": " + qualified);
        }
      }
    }
    assertEquals(List.of(), found, "import these instead of naming them inline");
  }

  /** The source with comments and string and character literals blanked, same length. */
  static String codeOnly(String source) {
    char[] out = source.toCharArray();
    int n = out.length;
    int i = 0;
    while (i < n) {
      int end;
      if (source.startsWith("//", i)) {
        end = source.indexOf('\n', i);
        end = end < 0 ? n : end;
      } else if (source.startsWith("/*", i)) {
        end = source.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
      } else if (source.startsWith("\"\"\"", i)) {
        end = source.indexOf("\"\"\"", i + 3);
        end = end < 0 ? n : end + 3;
      } else if (out[i] == '"' || out[i] == '\'') {
        char quote = out[i];
        end = i + 1;
        while (end < n && source.charAt(end) != quote) {
          end += source.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(end + 1, n);
      } else {
        i++;
        continue;
      }
      for (int k = i; k < end; k++) {
        if (out[k] != '\n') {
          out[k] = ' ';
        }
      }
      i = end;
    }
    return new String(out);
  }

  @Test
  void codeOnlyBlanksCommentsAndLiterals() {
    String source =
        "int a; // java.util.List\n/* java.util.Map */ String s = \"java.util.Set\\\"\"; char c = '\"';";
    String code = codeOnly(source);
    assertEquals(source.length(), code.length());
    assertTrue(!code.contains("java.util"), code);
    assertTrue(code.contains("int a;") && code.contains("char c ="), code);
  }

  /** The repository root: the parent of this module's directory, where Surefire runs. */
  private static Path root() {
    return Path.of("").toAbsolutePath().getParent();
  }

  private static List<Path> sources(String... trees) {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root())) {
      for (Path module : modules.filter(Files::isDirectory).toList()) {
        for (String tree : trees) {
          Path dir = module.resolve(tree);
          if (Files.isDirectory(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
              walk.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
