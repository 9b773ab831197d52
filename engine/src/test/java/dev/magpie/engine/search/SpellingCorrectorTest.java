package dev.magpie.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.TestSnapshots;
import dev.magpie.engine.text.TextFields;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.automaton.Automaton;
import org.apache.lucene.util.automaton.LevenshteinAutomata;
import org.apache.lucene.util.automaton.Operations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spelling correction against a brute-force scan of every indexed term. */
@Seeded
class SpellingCorrectorTest {
  private static final String LETTERS = "abcdeilnorst";

  @Test
  void editDistanceCountsEachEditOnce(Random random) {
    assertEquals(0, SpellingCorrector.editDistance("toilet", "toilet"));
    assertEquals(
        1, SpellingCorrector.editDistance("toliet", "toilet"), "a transposition is one edit");
    assertEquals(1, SpellingCorrector.editDistance("toilt", "toilet"));
    assertEquals(1, SpellingCorrector.editDistance("toilets", "toilet"));
    assertEquals(1, SpellingCorrector.editDistance("toilrt", "toilet"));
    assertEquals(3, SpellingCorrector.editDistance("", "abc"));
    assertEquals(
        3, SpellingCorrector.editDistance("ca", "abc"), "optimal string alignment, not Damerau");
    for (int i = 0; i < 2_000; i++) {
      String a = word(random, 1 + random.nextInt(9));
      String b = typo(random, a);
      int d = SpellingCorrector.editDistance(a, b);
      assertTrue(d <= 1, a + " -> " + b + ": " + d);
      assertEquals(d, SpellingCorrector.editDistance(b, a), "symmetric: " + a + ", " + b);
      // Lucene's fuzzy automaton (what finds the candidates) accepts exactly the words in reach.
      String c = typo(random, b);
      int dc = SpellingCorrector.editDistance(a, c);
      LevenshteinAutomata automata = new LevenshteinAutomata(a, true);
      for (int n = 0; n <= 2; n++) {
        Automaton reach =
            Operations.determinize(
                automata.toAutomaton(n), Operations.DEFAULT_DETERMINIZE_WORK_LIMIT);
        assertEquals(
            dc <= n, Operations.run(reach, c), a + " -> " + c + " at " + n + " edits: " + dc);
      }
    }
  }

  @Test
  void correctsToTheNearestMostCommonTermAsABruteForceScan(Random random, @TempDir Path dir)
      throws IOException {
    List<String> vocabulary = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      vocabulary.add(word(random, 4 + random.nextInt(6)));
    }
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 1_500; i++) {
      StringBuilder title = new StringBuilder();
      for (int w = 0; w < 3; w++) {
        // A skewed choice, so that document frequencies differ.
        title
            .append(vocabulary.get((int) (vocabulary.size() * Math.pow(random.nextDouble(), 2))))
            .append(' ');
      }
      items.add(TestSnapshots.item("i" + i, title.toString(), "", "", -1, -1, Map.of()));
    }
    try (Snapshot snapshot = TestSnapshots.build(dir, items)) {
      TextSearcher text = new TextSearcher(snapshot);
      Map<String, Integer> titleTerms = terms(snapshot.text().searcher().getIndexReader());
      int corrected = 0;
      for (int i = 0; i < 1_000; i++) {
        String known = vocabulary.get(random.nextInt(vocabulary.size()));
        String word =
            random.nextBoolean() ? typo(random, known) : typo(random, typo(random, known));
        List<String> analysed = text.analyze(word);
        String expected = analysed.size() == 1 ? bruteForce(analysed.get(0), titleTerms) : null;
        SpellingCorrector.Corrected result = text.correctSpelling("big " + word, t -> false);
        if (expected == null) {
          assertEquals("big " + word, result.text(), word);
          assertTrue(result.corrections().isEmpty(), word);
        } else {
          assertEquals("big " + expected, result.text(), word);
          assertEquals(List.of(new Constraint("spelling", word, expected)), result.corrections());
          corrected++;
        }
      }
      assertTrue(corrected > 300, "most typos corrected: " + corrected);
      assertEquals(
          "2x4 ab",
          text.correctSpelling("2x4 ab", t -> false).text(),
          "short words and model numbers stay");
      String typo = typo(random, vocabulary.get(0)) + "q";
      assertEquals(
          "big " + typo,
          text.correctSpelling("big " + typo, typo::equals).text(),
          "words the reader knows stay");
    }
  }

  /**
   * The corrector's rule by scanning every term: fewest edits, most items, lowest term; null for a
   * known or short word, or one without a term in reach.
   */
  private static String bruteForce(String word, Map<String, Integer> terms) {
    if (word.length() < SpellingCorrector.MIN_CHARS || terms.containsKey(word)) {
      return null;
    }
    int maxEdits = word.length() < SpellingCorrector.TWO_EDITS_FROM ? 1 : 2;
    String best = null;
    int bestEdits = Integer.MAX_VALUE;
    int bestItems = 0;
    for (Map.Entry<String, Integer> t : terms.entrySet()) {
      String term = t.getKey();
      int edits = SpellingCorrector.editDistance(word, term);
      if (term.charAt(0) != word.charAt(0) || edits > maxEdits) {
        continue;
      }
      if (edits < bestEdits
          || edits == bestEdits
              && (t.getValue() > bestItems
                  || t.getValue() == bestItems && term.compareTo(best) < 0)) {
        best = term;
        bestEdits = edits;
        bestItems = t.getValue();
      }
    }
    return best;
  }

  private static Map<String, Integer> terms(IndexReader reader) throws IOException {
    Map<String, Integer> out = new HashMap<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      Terms terms = leaf.reader().terms(TextFields.TITLE);
      TermsEnum te = terms.iterator();
      for (BytesRef b = te.next(); b != null; b = te.next()) {
        out.merge(b.utf8ToString(), te.docFreq(), Integer::sum);
      }
    }
    return out;
  }

  private static String word(Random random, int length) {
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < length; i++) {
      w.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
    }
    return w.toString();
  }

  /** One random edit after the first letter: insert, delete, substitute or swap neighbours. */
  private static String typo(Random random, String w) {
    if (w.length() < 2) {
      return w + LETTERS.charAt(random.nextInt(LETTERS.length()));
    }
    int at = 1 + random.nextInt(w.length() - 1);
    char c = LETTERS.charAt(random.nextInt(LETTERS.length()));
    return switch (random.nextInt(4)) {
      case 0 -> w.substring(0, at) + c + w.substring(at);
      case 1 -> w.substring(0, at) + w.substring(at + 1);
      case 2 -> w.substring(0, at) + c + w.substring(at + 1);
      default ->
          at + 1 < w.length()
              ? w.substring(0, at) + w.charAt(at + 1) + w.charAt(at) + w.substring(at + 2)
              : w;
    };
  }
}
