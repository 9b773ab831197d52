package dev.magpie.engine.text;

import java.io.IOException;
import java.util.Map;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.KeywordAttribute;

/**
 * Reduces English plurals to the singular and touches nothing else, which is what product names
 * need: "paints", "shoes", "batteries", "boxes", "benches", "knives" become "paint", "shoe",
 * "battery", "box", "bench", "knife"; "glass", "cactus", "chassis", "running" stay as they are.
 * Lucene's minimal stemmer keeps "shoes" (to protect "heroes") and Krovetz keeps "paints"; both
 * would miss the commonest product queries. Keyword tokens (model numbers) are left alone.
 */
public final class PluralStemFilter extends TokenFilter {
  private static final Map<String, String> IRREGULAR =
      Map.ofEntries(
          Map.entry("knives", "knife"),
          Map.entry("wives", "wife"),
          Map.entry("lives", "life"),
          Map.entry("shelves", "shelf"),
          Map.entry("leaves", "leaf"),
          Map.entry("halves", "half"),
          Map.entry("wolves", "wolf"),
          Map.entry("loaves", "loaf"),
          Map.entry("scarves", "scarf"),
          Map.entry("men", "man"),
          Map.entry("women", "woman"),
          Map.entry("children", "child"),
          Map.entry("feet", "foot"),
          Map.entry("teeth", "tooth"),
          Map.entry("mice", "mouse"),
          Map.entry("geese", "goose"),
          Map.entry("dice", "die"));

  private static final CharArraySet IRREGULAR_WORDS = new CharArraySet(IRREGULAR.keySet(), false);

  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final KeywordAttribute keyword = addAttribute(KeywordAttribute.class);

  /** Stems {@code input}, which must be lower case. */
  public PluralStemFilter(TokenStream input) {
    super(input);
  }

  @Override
  public boolean incrementToken() throws IOException {
    if (!input.incrementToken()) {
      return false;
    }
    int length = term.length();
    char last = length == 0 ? 0 : term.buffer()[length - 1];
    // Only words ending in s, or the few irregular plurals; no string is made for any other word.
    boolean candidate = last == 's' || IRREGULAR_WORDS.contains(term.buffer(), 0, length);
    if (candidate && !keyword.isKeyword()) {
      String stem = stem(term.toString());
      if (stem != null) {
        term.setEmpty().append(stem);
      }
    }
    return true;
  }

  /** The singular of {@code word}, or null when it is unchanged. */
  static String stem(String word) {
    String irregular = IRREGULAR.get(word);
    if (irregular != null) {
      return irregular;
    }
    int n = word.length();
    if (n < 4 || word.charAt(n - 1) != 's') {
      return null;
    }
    char before = word.charAt(n - 2);
    if (before == 's' || before == 'u' || before == 'i') {
      return null;
    }
    if (word.endsWith("ies")) {
      // "pies", "ties", "lies" lose the s; "batteries", "supplies" end in y.
      char c = word.charAt(n - 4);
      boolean vowel = c == 'a' || c == 'e' || c == 'o';
      return vowel || n <= 5 ? word.substring(0, n - 1) : word.substring(0, n - 3) + "y";
    }
    if (endsWithAny(word, "sses", "xes", "ches", "shes", "zzes")) {
      return word.substring(0, n - 2);
    }
    return word.substring(0, n - 1);
  }

  private static boolean endsWithAny(String word, String... suffixes) {
    for (String s : suffixes) {
      if (word.endsWith(s)) {
        return true;
      }
    }
    return false;
  }
}
