package dev.magpie.engine.search;

import dev.magpie.engine.text.ProductAnalyzer;
import dev.magpie.engine.text.QueryTerms;
import dev.magpie.engine.text.UnitNormalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * How well one query's words match product titles, beyond what BM25 sees: which words (weighted by
 * rarity), in the query's order, the product type (a title's head: its last words before "in",
 * "with", "for", a comma or a bracket, as in "Shower Faucet Trim Kit in Chrome"), the query's own
 * head (its last word, usually what is wanted: "hole saw"), its numbers (sizes, gauges), and
 * spelling-tolerant character trigrams. Built once per query, then asked about each candidate's
 * title; every value is 0..1. Not thread-safe; cheap to build.
 */
public final class TitleMatch {
  /** Title words from which the rest describes a variant ("Faucet in Chrome with Valve"). */
  private static final List<String> MODIFIERS = List.of("in", "with", "for", "w/", "-");

  private static final char[] MAIN_PART_ENDS = {',', '(', '['};
  private static final ProductAnalyzer.Stemming STEMMING = ProductAnalyzer.Stemming.PLURALS;

  private final List<String> query;
  private final double[] idf;
  private final double idfSum;
  private final String head;
  private final int numbers;
  private final Set<String> queryTrigrams;

  /**
   * The matcher of {@code queryText}.
   *
   * @param idf the inverse document frequency of an analysed term (rarer words count more)
   */
  public TitleMatch(String queryText, ToDoubleFunction<String> idf) {
    this.query = terms(queryText);
    this.idf = new double[query.size()];
    double sum = 0;
    String last = null;
    int digits = 0;
    for (int i = 0; i < query.size(); i++) {
      String t = query.get(i);
      this.idf[i] = Math.max(0, idf.applyAsDouble(t));
      sum += this.idf[i];
      if (UnitNormalizer.hasDigit(t)) {
        digits++;
      } else {
        last = t;
      }
    }
    this.idfSum = sum;
    this.head = last;
    this.numbers = digits;
    this.queryTrigrams = trigrams(String.join(" ", query));
  }

  /** The query's analysed words, in order. */
  public List<String> queryTerms() {
    return query;
  }

  /** What the query's words have in one title. */
  public record Scores(
      float coverage,
      float rareCoverage,
      float inOrder,
      float queryHead,
      float productType,
      float numbers,
      float extraWords,
      float trigrams) {}

  /** How {@code title} matches the query. */
  public Scores score(String title) {
    if (query.isEmpty()) {
      return new Scores(0, 0, 0, 0, 0, 0, 0, 0);
    }
    // one normalisation per title (units glued to numbers: "24 in." is "24in", never a modifier
    // "in")
    String normalized = UnitNormalizer.normalize(title.toLowerCase(Locale.ROOT));
    int cut = mainPartEnd(normalized);
    List<String> main = QueryTerms.of(normalized.substring(0, cut), STEMMING);
    List<String> words = main;
    if (cut < normalized.length()) {
      words = new ArrayList<>(main);
      for (String t : QueryTerms.of(normalized.substring(cut), STEMMING)) {
        if (!main.contains(t)) {
          words.add(t);
        }
      }
    }
    Set<String> wordSet = new HashSet<>(words);
    int found = 0;
    double rare = 0;
    int numbersFound = 0;
    for (int i = 0; i < query.size(); i++) {
      String t = query.get(i);
      if (wordSet.contains(t)) {
        found++;
        rare += idf[i];
        numbersFound += UnitNormalizer.hasDigit(t) ? 1 : 0;
      }
    }
    int pairs = 0;
    for (int i = 0; i + 1 < query.size(); i++) {
      int at = words.indexOf(query.get(i));
      pairs +=
          at >= 0 && at + 1 < words.size() && words.get(at + 1).equals(query.get(i + 1)) ? 1 : 0;
    }
    float coverage = (float) found / query.size();
    float inOrder = query.size() == 1 ? coverage : (float) pairs / (query.size() - 1);
    float queryHead =
        head == null ? 1f : main.contains(head) ? 1f : wordSet.contains(head) ? 0.5f : 0f;
    float productType = 0;
    for (int i = Math.max(0, main.size() - 2); i < main.size(); i++) {
      productType = query.contains(main.get(i)) ? 1f : productType;
    }
    String padded = " " + String.join(" ", words) + " ";
    int shared = 0;
    for (String g : queryTrigrams) {
      shared += padded.contains(g) ? 1 : 0;
    }
    return new Scores(
        coverage,
        idfSum > 0 ? (float) (rare / idfSum) : coverage,
        inOrder,
        queryHead,
        productType,
        numbers == 0 ? 1f : (float) numbersFound / numbers,
        words.isEmpty() ? 0f : 1f - (float) found / words.size(),
        queryTrigrams.isEmpty() ? 0f : (float) shared / queryTrigrams.size());
  }

  /**
   * The title up to its first modifier word, comma or bracket (for tests: of a lower-case title).
   */
  static String mainPart(String lowerTitle) {
    return lowerTitle.substring(0, mainPartEnd(lowerTitle));
  }

  /** Where the main part of a lower-case title ends: its first modifier word, comma or bracket. */
  private static int mainPartEnd(String lowerTitle) {
    int end = lowerTitle.length();
    for (char c : MAIN_PART_ENDS) {
      int at = lowerTitle.indexOf(c);
      if (at > 0 && at < end) {
        end = at;
      }
    }
    int wordStart = 0;
    for (int i = 0; i <= end; i++) {
      if (i == end || lowerTitle.charAt(i) == ' ') {
        if (wordStart > 0 && isModifier(lowerTitle, wordStart, i)) {
          return wordStart;
        }
        wordStart = i + 1;
      }
    }
    return end;
  }

  /**
   * Whether {@code text[from, to)} is a modifier word (compared in place: no substring per word).
   */
  private static boolean isModifier(String text, int from, int to) {
    for (String m : MODIFIERS) {
      if (m.length() == to - from && text.regionMatches(from, m, 0, m.length())) {
        return true;
      }
    }
    return false;
  }

  private static List<String> terms(String text) {
    return QueryTerms.of(UnitNormalizer.normalize(text.toLowerCase(Locale.ROOT)), STEMMING);
  }

  private static Set<String> trigrams(String text) {
    Set<String> out = new HashSet<>();
    String padded = " " + text + " ";
    for (int i = 0; i + 3 <= padded.length(); i++) {
      out.add(padded.substring(i, i + 3));
    }
    return out;
  }
}
