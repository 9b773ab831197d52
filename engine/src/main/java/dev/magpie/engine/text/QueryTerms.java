package dev.magpie.engine.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;

/**
 * The distinct terms {@link ProductAnalyzer} makes of a query, computed without Lucene's token
 * stream machinery: the same steps (code-point tokenising with the same token characters and the
 * 255-character split, lower-casing per code point, ASCII folding, {@link
 * ProductTokenFilter#shape}, English stop words, {@link PluralStemFilter}) on plain arrays. Queries
 * are analysed on every search, and this path costs a fraction of the general one. It is checked
 * token for token against the analyzer on random text (QueryTermsTest); stemmers other than plurals
 * and none use the analyzer.
 */
public final class QueryTerms {
  private static final int MAX_TOKEN_CHARS = 255;
  private static final CharArraySet STOP_WORDS = EnglishAnalyzer.ENGLISH_STOP_WORDS_SET;

  private QueryTerms() {}

  /** Whether this path reproduces analysis with {@code stemming}. */
  public static boolean supports(ProductAnalyzer.Stemming stemming) {
    return stemming == ProductAnalyzer.Stemming.PLURALS
        || stemming == ProductAnalyzer.Stemming.NONE;
  }

  /**
   * The distinct terms of {@code normalized} (already through {@link UnitNormalizer}), in order.
   */
  public static List<String> of(String normalized, ProductAnalyzer.Stemming stemming) {
    Set<String> terms = new LinkedHashSet<>();
    char[] token = new char[64];
    char[] folded = new char[256];
    int length = 0;
    int n = normalized.length();
    for (int i = 0; i <= n; ) {
      int c = i < n ? normalized.codePointAt(i) : -1;
      int width = c < 0 ? 1 : Character.charCount(c);
      if (c >= 0 && isTokenChar(c)) {
        int lower = Character.toLowerCase(c);
        if (length + 2 > token.length) {
          token = Arrays.copyOf(token, token.length * 2);
        }
        length += Character.toChars(lower, token, length);
        i += width;
        if (length >= MAX_TOKEN_CHARS) {
          folded = emit(token, length, folded, stemming, terms);
          length = 0;
        }
        continue;
      }
      if (length > 0) {
        folded = emit(token, length, folded, stemming, terms);
        length = 0;
      }
      i += width;
    }
    return new ArrayList<>(terms);
  }

  private static boolean isTokenChar(int c) {
    return Character.isLetterOrDigit(c)
        || c == '-'
        || c == '.'
        || c == '/'
        || c == '\''
        || c == '#';
  }

  /** Folds, shapes, filters and stems one token; returns the (possibly grown) folding buffer. */
  private static char[] emit(
      char[] token,
      int length,
      char[] folded,
      ProductAnalyzer.Stemming stemming,
      Set<String> terms) {
    char[] chars = token;
    int len = length;
    for (int i = 0; i < length; i++) {
      if (token[i] >= '\u0080') {
        if (folded.length < 4 * length) {
          folded = new char[4 * length];
        }
        len = ASCIIFoldingFilter.foldToASCII(token, 0, folded, 0, length);
        chars = folded;
        break;
      }
    }
    if (ProductTokenFilter.isPlainWord(chars, len)) {
      add(new String(chars, 0, len), false, stemming, terms);
      return folded;
    }
    ProductTokenFilter.Shaped shaped = ProductTokenFilter.shape(new String(chars, 0, len));
    if (shaped == null) {
      return folded;
    }
    add(shaped.joined(), shaped.keyword(), stemming, terms);
    for (String part : shaped.parts()) {
      add(part, shaped.keyword(), stemming, terms);
    }
    return folded;
  }

  private static void add(
      String term, boolean keyword, ProductAnalyzer.Stemming stemming, Set<String> terms) {
    if (STOP_WORDS.contains(term)) {
      return;
    }
    if (!keyword && stemming == ProductAnalyzer.Stemming.PLURALS) {
      String stem = PluralStemFilter.stem(term);
      if (stem != null) {
        term = stem;
      }
    }
    terms.add(term);
  }
}
