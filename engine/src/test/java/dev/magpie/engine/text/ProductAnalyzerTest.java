package dev.magpie.engine.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;

class ProductAnalyzerTest {
  private final Analyzer analyzer = new ProductAnalyzer();

  private List<String> tokens(String text) throws IOException {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream("title", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    }
    return out;
  }

  private void sameTokens(String... texts) throws IOException {
    List<String> first = tokens(texts[0]);
    for (String t : texts) {
      assertEquals(first, tokens(t), "\"" + t + "\" vs \"" + texts[0] + "\"");
    }
  }

  @Test
  void unitsMeetInOneToken() throws IOException {
    sameTokens("16oz", "16 oz", "16-ounce", "16 Ounces");
    sameTokens("1/2 in. pipe", "0.5 inch pipe", "1/2\" pipe");
    assertEquals(List.of("0.5in", "pipe"), tokens("1/2 in. pipe"));
  }

  @Test
  void modelNumbersStayWholeAndUnstemmed() throws IOException {
    assertEquals(List.of("behr", "sc141", "sc", "141", "tugboat"), tokens("BEHR #SC-141 Tugboat"));
    assertEquals(List.of("dw745", "table", "saw"), tokens("DW745 Table Saws"));
    assertTrue(tokens("RH-250s").contains("rh250s"), tokens("RH-250s").toString());
  }

  @Test
  void stemsWordsAndHandlesHyphensAndPossessives() throws IOException {
    sameTokens("Men's Trail Running Shoes", "men trail running shoe", "MEN'S TRAIL RUNNING SHOES");
    assertEquals("shoe", tokens("shoes").getFirst());
    assertEquals(
        List.of("rustoleum", "rust", "oleum", "spray", "paint"), tokens("Rust-Oleum Spray Paint"));
    assertTrue(tokens("Rust-Oleum spray paints").containsAll(tokens("rustoleum spray paint")));
  }

  @Test
  void dropsPunctuationStopWordsAndFoldsAccents() throws IOException {
    sameTokens("(Valve Not Included)", "valve not included");
    assertEquals("valve", tokens("(Valve Not Included)").getFirst());
    assertEquals(List.of("cafe", "creme"), tokens("Café Crème"));
    assertEquals(List.of("wood", "concrete", "coating"), tokens("Wood and Concrete Coatings,"));
  }
}
