package dev.magpie.engine.search;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.magpie.engine.text.UnitNormalizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.automaton.CompiledAutomaton;
import org.apache.lucene.util.automaton.LevenshteinAutomata;

/**
 * Replaces each word of a query that no searched field holds by the indexed term a typo away that
 * the most items hold ("toliet" becomes "toilet"): for channels that cannot tolerate typos
 * themselves. An embedding model reads an unknown word as noise, while BM25 has its own typo retry
 * and does not need this. A word is a candidate when it analyses to one term of at least {@link
 * #MIN_CHARS} characters without digits (model numbers are left alone) that the reader of the text
 * does not know either; one edit is allowed below {@link #TWO_EDITS_FROM} characters, two from
 * there, a transposition counting as one edit, and the first letter must match. Among candidates
 * the fewest edits win, then the most items, then the lower term. Corrections are fixed for a
 * snapshot and cached. Thread-safe.
 */
final class SpellingCorrector {
  /** Shortest term corrected: shorter words have too many neighbours one edit away. */
  static final int MIN_CHARS = 4;

  /**
   * Shortest term allowed two edits: shorter ones reach too many other words ("slicer", "silver").
   */
  static final int TWO_EDITS_FROM = 8;

  private static final int MAX_CACHED = 100_000;
  private static final Pattern SPACES = Pattern.compile("\\s+");

  private final IndexReader reader;
  private final List<String> fields;
  private final Function<String, List<String>> analyzer;
  private final Predicate<String> known;

  /** Corrections found (or not) so far, bounded by size with least-recently-used eviction. */
  private final Cache<String, Optional<String>> cache =
      Caffeine.newBuilder().maximumSize(MAX_CACHED).executor(Runnable::run).build();

  /**
   * A corrector over {@code fields} of {@code reader}.
   *
   * @param analyzer the analysed terms of a text, as searches analyse it
   * @param known whether any searched field holds an analysed term
   */
  SpellingCorrector(
      IndexReader reader,
      List<String> fields,
      Function<String, List<String>> analyzer,
      Predicate<String> known) {
    this.reader = reader;
    this.fields = List.copyOf(fields);
    this.analyzer = analyzer;
    this.known = known;
  }

  /**
   * A text with its corrections.
   *
   * @param text the text, each corrected word replaced by its correction
   * @param corrections one "spelling" constraint per corrected word: its text and its correction
   */
  record Corrected(String text, List<Constraint> corrections) {}

  /**
   * {@code text} corrected; the same text and no corrections when every word is known.
   *
   * @param leaveAlone analysed terms not to correct even though the catalog lacks them: words the
   *     reader of the corrected text (an embedding model) knows as typed
   */
  Corrected correct(String text, Predicate<String> leaveAlone) {
    String[] words = SPACES.split(text.strip());
    List<Constraint> corrections = new ArrayList<>();
    for (int i = 0; i < words.length; i++) {
      List<String> terms = analyzer.apply(words[i]);
      if (terms.size() != 1
          || !mayBeTypo(terms.get(0))
          || known.test(terms.get(0))
          || leaveAlone.test(terms.get(0))) {
        continue;
      }
      Optional<String> correction = correction(terms.get(0));
      if (correction.isPresent()) {
        corrections.add(new Constraint("spelling", words[i], correction.get()));
        words[i] = correction.get();
      }
    }
    return corrections.isEmpty()
        ? new Corrected(text, List.of())
        : new Corrected(String.join(" ", words), corrections);
  }

  /**
   * Whether {@code term} (analysed) may be a typo worth correcting or matching with typo tolerance:
   * long enough, and free of digits (model numbers are left alone).
   */
  static boolean mayBeTypo(String term) {
    return term.length() >= MIN_CHARS && !UnitNormalizer.hasDigit(term);
  }

  private Optional<String> correction(String term) {
    return cache.get(term, t -> Optional.ofNullable(search(t)));
  }

  /** The best indexed term within reach of {@code term}, or null. */
  private String search(String term) {
    int maxEdits = term.length() < TWO_EDITS_FROM ? 1 : 2;
    String best = null;
    int bestEdits = Integer.MAX_VALUE;
    long bestItems = 0;
    Map<String, Long> items = new HashMap<>();
    // One automaton for every field: a FuzzyTermsEnum per field would build one per edit level each
    // time.
    int prefix = term.offsetByCodePoints(0, 1);
    CompiledAutomaton reach =
        new CompiledAutomaton(
            new LevenshteinAutomata(term.substring(prefix), true)
                .toAutomaton(maxEdits, term.substring(0, prefix)),
            true,
            false);
    try {
      for (LeafReaderContext leaf : reader.leaves()) {
        for (String field : fields) {
          Terms terms = leaf.reader().terms(field);
          if (terms == null) {
            continue;
          }
          TermsEnum candidates = reach.getTermsEnum(terms);
          for (BytesRef b = candidates.next(); b != null; b = candidates.next()) {
            items.merge(b.utf8ToString(), (long) candidates.docFreq(), Long::sum);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Map.Entry<String, Long> c : items.entrySet()) {
      int edits = editDistance(term, c.getKey());
      String candidate = c.getKey();
      if (edits < bestEdits
          || edits == bestEdits
              && (c.getValue() > bestItems
                  || c.getValue() == bestItems && candidate.compareTo(best) < 0)) {
        best = candidate;
        bestEdits = edits;
        bestItems = c.getValue();
      }
    }
    return best;
  }

  /**
   * The optimal string alignment distance: insertions, deletions, substitutions and transpositions
   * of adjacent characters, each one edit (what Lucene's fuzzy automaton accepts).
   */
  static int editDistance(String a, String b) {
    int[] twoBack = new int[b.length() + 1];
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int d = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d = Math.min(d, twoBack[j - 2] + 1);
        }
        current[j] = d;
      }
      int[] t = twoBack;
      twoBack = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }
}
