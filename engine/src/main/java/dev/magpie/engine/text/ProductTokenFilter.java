package dev.magpie.engine.text;

import java.io.IOException;
import java.util.ArrayDeque;
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
 *   <li>a hyphenated word gives its parts and its joined form ("rust-oleum" gives "rust", "oleum" and
 *       "rustoleum"), all at one position;
 *   <li>dots inside letters go ("u.s." becomes "us").
 * </ul>
 */
public final class ProductTokenFilter extends TokenFilter {
  private static final java.util.regex.Pattern INNER = java.util.regex.Pattern.compile("[-/#]+");

  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final KeywordAttribute keyword = addAttribute(KeywordAttribute.class);
  private final PositionIncrementAttribute increment = addAttribute(PositionIncrementAttribute.class);
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
      String token = trim(term.toString());
      if (token.endsWith("'s")) {
        token = token.substring(0, token.length() - 2);
      }
      token = token.replace("'", "");
      if (token.isEmpty()) {
        continue;
      }
      boolean hasDigit = UnitNormalizer.hasDigit(token);
      String joined;
      boolean inner = token.indexOf('-') >= 0 || token.indexOf('/') >= 0 || token.indexOf('#') >= 0;
      String[] parts = inner ? INNER.split(token) : new String[] {token};
      if (hasDigit) {
        joined = inner ? INNER.matcher(token).replaceAll("") : token;
      } else {
        String noDots = token.indexOf('.') >= 0 ? token.replace(".", "") : token;
        joined = inner ? INNER.matcher(noDots).replaceAll("") : noDots;
      }
      if (joined.isEmpty()) {
        continue;
      }
      term.setEmpty().append(joined);
      keyword.setKeyword(hasDigit);
      if (parts.length > 1) {
        for (String part : parts) {
          String p = hasDigit ? part : part.replace(".", "");
          if (!p.isEmpty() && !p.equals(joined)) {
            stacked.add(p);
          }
        }
        stackedKeyword = hasDigit;
        original = captureState();
      }
      return true;
    }
    return false;
  }

  /** A token of letters only needs no shaping (the common case; no string is made). */
  private boolean isPlainWord() {
    char[] buffer = term.buffer();
    int length = term.length();
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
