package dev.magpie.engine.text;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.KeywordAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * Shapes lower-cased product tokens (which may carry the inner punctuation {@code - . / ' #}):
 *
 * <ul>
 *   <li>edge punctuation goes: "(valve" and "in." become "valve" and "in";
 *   <li>a possessive goes: "men's" becomes "men";
 *   <li>a token with a digit is a model number or measurement, kept whole and marked as a keyword
 *       (never stemmed); inner hyphens and slashes are dropped ("sc-141" becomes "sc141") and the
 *       parts are stacked at the same position ("sc", "141") so "sc 141" finds it too;
 *   <li>a hyphenated word gives its parts and its joined form ("rust-oleum" gives "rust", "oleum"
 *       and "rustoleum"), all at one position;
 *   <li>dots inside letters go ("u.s." becomes "us").
 * </ul>
 */
public final class ProductTokenFilter extends TokenFilter {
  static final Pattern INNER = Pattern.compile("[-/#]+");

  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final KeywordAttribute keyword = addAttribute(KeywordAttribute.class);
  private final PositionIncrementAttribute increment =
      addAttribute(PositionIncrementAttribute.class);
  private final ArrayDeque<String> stacked = new ArrayDeque<>();
  private boolean stackedKeyword;
  private State original;

  /** Filters {@code input}, which must already be lower case. */
  public ProductTokenFilter(TokenStream input) {
    super(input);
  }

  @Override
  public boolean incrementToken() throws IOException {
    if (!stacked.isEmpty()) {
      String next = stacked.poll();
      restoreState(original);
      term.setEmpty().append(next);
      increment.setPositionIncrement(0);
      keyword.setKeyword(stackedKeyword);
      return true;
    }
    while (input.incrementToken()) {
      if (isPlainWord()) {
        keyword.setKeyword(false);
        return true;
      }
      Shaped shaped = shape(term.toString());
      if (shaped == null) {
        continue;
      }
      term.setEmpty().append(shaped.joined());
      keyword.setKeyword(shaped.keyword());
      if (shaped.parts().length > 0) {
        for (String part : shaped.parts()) {
          stacked.add(part);
        }
        stackedKeyword = shaped.keyword();
        original = captureState();
      }
      return true;
    }
    return false;
  }

  /**
   * A shaped token: the main form and the parts stacked at its position.
   *
   * @param joined the token as indexed
   * @param parts further tokens at the same position (none for most tokens)
   * @param keyword whether the tokens hold a digit (then they are never stemmed)
   */
  record Shaped(String joined, String[] parts, boolean keyword) {}

  private static final String[] NO_PARTS = new String[0];

  /**
   * Shapes one lower-cased token that is not a plain word; null when nothing is left of it. The one
   * definition of token shaping, used by this filter and by {@link QueryTerms}.
   */
  static Shaped shape(String raw) {
    String token = trim(raw);
    if (token.endsWith("'s")) {
      token = token.substring(0, token.length() - 2);
    }
    token = token.replace("'", "");
    if (token.isEmpty()) {
      return null;
    }
    boolean hasDigit = UnitNormalizer.hasDigit(token);
    String joined;
    boolean inner = token.indexOf('-') >= 0 || token.indexOf('/') >= 0 || token.indexOf('#') >= 0;
    String[] split = inner ? INNER.split(token) : null;
    if (hasDigit) {
      joined = inner ? INNER.matcher(token).replaceAll("") : token;
    } else {
      String noDots = token.indexOf('.') >= 0 ? token.replace(".", "") : token;
      joined = inner ? INNER.matcher(noDots).replaceAll("") : noDots;
    }
    if (joined.isEmpty()) {
      return null;
    }
    if (split == null || split.length <= 1) {
      return new Shaped(joined, NO_PARTS, hasDigit);
    }
    List<String> parts = new ArrayList<>(split.length);
    for (String part : split) {
      String p = hasDigit ? part : part.replace(".", "");
      if (!p.isEmpty() && !p.equals(joined)) {
        parts.add(p);
      }
    }
    return new Shaped(joined, parts.toArray(String[]::new), hasDigit);
  }

  /** Whether {@code buffer[0, length)} is letters only: such a token needs no shaping. */
  static boolean isPlainWord(char[] buffer, int length) {
    if (length == 0) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (!Character.isLetter(buffer[i])) {
        return false;
      }
    }
    return true;
  }

  /** A token of letters only needs no shaping (the common case; no string is made). */
  private boolean isPlainWord() {
    return isPlainWord(term.buffer(), term.length());
  }

  private static String trim(String token) {
    int start = 0;
    int end = token.length();
    while (start < end && isPunct(token.charAt(start))) {
      start++;
    }
    while (end > start && isPunct(token.charAt(end - 1))) {
      end--;
    }
    return token.substring(start, end);
  }

  private static boolean isPunct(char c) {
    return c == '-' || c == '.' || c == '/' || c == '\'' || c == '#';
  }

  @Override
  public void reset() throws IOException {
    super.reset();
    stacked.clear();
    original = null;
  }
}
