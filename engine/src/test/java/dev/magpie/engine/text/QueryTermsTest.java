package dev.magpie.engine.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magpie.engine.testing.Seeded;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;

/** The fast query path against its exact oracle, ProductAnalyzer, on random and chosen text. */
@Seeded
class QueryTermsTest {
  private static final String[] PIECES = {
    "shoe",
    "Shoes",
    "RUNNING",
    "men's",
    "Rust-Oleum",
    "SC-141",
    "#SC-141",
    "1/2",
    "in.",
    "16oz",
    "16 oz",
    "0.5",
    ".105",
    "2x4",
    "3/4\"",
    "12-Gauge",
    "café",
    "Crème",
    "Ærø",
    "straße",
    "日本",
    "🦆",
    "İstanbul",
    "ΣΟΦΙΑ",
    "don't",
    "u.s.",
    "a-b",
    "the",
    "and",
    "-",
    ".",
    "/",
    "'",
    "#",
    "--x--",
    "knives",
    "batteries",
    "glasses",
    "men",
    "feet",
    "x",
    "(valve)",
    "\"quoted\"",
    ",",
    ";",
    "\t",
    "DW745",
    "rh-250s",
    "e.g.",
    "ﬁsh",
    "½",
    "²",
    "Ⅻ",
    "q'",
    "'s",
    "o'neil's",
    "-5",
    "5-",
    "a/b/c",
    "1-1/2",
    "v2.0",
    "ⅷ"
  };

  private static List<String> oracle(ProductAnalyzer analyzer, String text) throws IOException {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream ts = analyzer.tokenStream("title", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        terms.add(term.toString());
      }
      ts.end();
    }
    return new ArrayList<>(terms);
  }

  private static void same(ProductAnalyzer analyzer, String text) throws IOException {
    assertEquals(
        oracle(analyzer, text),
        QueryTerms.of(UnitNormalizer.normalize(text), analyzer.stemming()),
        "text: \"" + text + "\"");
  }

  @Test
  void matchesTheAnalyzerOnRandomText(Random random) throws IOException {
    for (ProductAnalyzer.Stemming stemming :
        List.of(ProductAnalyzer.Stemming.PLURALS, ProductAnalyzer.Stemming.NONE)) {
      ProductAnalyzer analyzer = new ProductAnalyzer(stemming);
      for (int round = 0; round < 3000; round++) {
        StringBuilder text = new StringBuilder();
        int pieces = random.nextInt(8);
        for (int p = 0; p < pieces; p++) {
          if (random.nextInt(4) > 0) {
            text.append(' ');
          }
          text.append(
              random.nextInt(10) == 0
                  ? Character.toString(random.nextInt(random.nextBoolean() ? 0x3000 : 0x1F000))
                  : PIECES[random.nextInt(PIECES.length)]);
        }
        same(analyzer, text.toString());
      }
    }
  }

  @Test
  void matchesTheAnalyzerOnEdgeCases() throws IOException {
    ProductAnalyzer analyzer = new ProductAnalyzer();
    same(analyzer, "");
    same(analyzer, "   ");
    same(analyzer, "x".repeat(600));
    same(analyzer, "ab-".repeat(120));
    same(analyzer, "é".repeat(300));
    same(analyzer, "🦆".repeat(200));
    same(
        analyzer,
        "BEHR Premium Textured DeckOver 1-gal. #SC-141 Tugboat Wood and Concrete Coating");
    same(
        analyzer, "Delta Vero 1-Handle Shower Only Faucet Trim Kit in Chrome (Valve Not Included)");
  }
}
