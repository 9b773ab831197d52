package dev.magpie.engine.text;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites measurements in product text to one canonical form before tokenising, so that the ways
 * people write a quantity meet in one token: "16oz", "16 oz", "16-ounce" and "16 Ounces" all become
 * {@code 16oz}; "1/2 in.", "1/2\"" and "0.5 inch" become {@code 0.5in}; "1-1/2 in" becomes {@code
 * 1.5in}; ".105" becomes {@code 0.105}; "2 x 4" becomes {@code 2x4}. Applied identically to
 * documents and queries. Text without digits is returned as is.
 */
public final class UnitNormalizer {
  /** Canonical unit for each way of writing it; longer spellings first so they win. */
  private static final Map<String, String> UNITS = new LinkedHashMap<>();

  static {
    unit("sqft", "square feet", "square foot", "sq\\.? ?ft\\.?", "sqft");
    unit("cuft", "cubic feet", "cubic foot", "cu\\.? ?ft\\.?", "cuft");
    unit("floz", "fluid ounces?", "fl\\.? ?oz\\.?");
    unit("in", "inches", "inch", "in\\.", "in", "\"", "''", "”", "″");
    unit("ft", "feet", "foot", "ft\\.", "ft", "'", "’", "′");
    unit("oz", "ounces", "ounce", "oz\\.", "oz");
    unit("lb", "pounds", "pound", "lbs\\.?", "lb\\.?");
    unit("gal", "gallons", "gallon", "gal\\.", "gal");
    unit("qt", "quarts", "quart", "qt\\.", "qt");
    unit("pt", "pints", "pint", "pt\\.");
    unit("mm", "millimeters", "millimetres", "millimeter", "millimetre", "mm");
    unit("cm", "centimeters", "centimetres", "centimeter", "centimetre", "cm");
    unit("ml", "milliliters", "millilitres", "ml");
    unit("l", "liters", "litres", "liter", "litre", "ltr");
    unit("kg", "kilograms", "kilogram", "kgs?");
    unit("g", "grams", "gram");
    unit("v", "volts", "volt", "v");
    unit("w", "watts", "watt", "w");
    unit("amp", "amperes", "ampere", "amps", "amp");
    unit("mah", "mah");
    unit("btu", "btus?");
    unit("gpm", "gpm");
    unit("psi", "psi");
    unit("gauge", "gauge", "ga\\.?");
    unit("piece", "pieces", "piece", "pcs\\.?", "pc\\.?");
    unit("pack", "packs", "pack", "pk\\.?", "count", "ct\\.?");
    unit("mph", "mph");
    unit("hp", "horsepower", "hp");
    unit("tb", "tb");
    unit("gb", "gb");
  }

  private static void unit(String canonical, String... spellings) {
    for (String s : spellings) {
      UNITS.put(s, canonical);
    }
  }

  private static final Map<Pattern, String> UNIT_PATTERNS = new LinkedHashMap<>();

  static {
    UNITS.forEach((spelling, canonical) -> UNIT_PATTERNS.put(Pattern.compile(spelling), canonical));
  }

  private static final String NUMBER = "(\\d+(?:\\.\\d+)?)";
  private static final Pattern MIXED_FRACTION =
      Pattern.compile("(?<![\\d./])(\\d+)[- ](\\d+)/(\\d+)(?![\\d/])");
  private static final Pattern FRACTION = Pattern.compile("(?<![\\d./])(\\d+)/(\\d+)(?![\\d/])");
  private static final Pattern LEADING_DOT = Pattern.compile("(?<![\\w.])\\.(\\d+)");
  private static final Pattern TRAILING_ZEROS = Pattern.compile("(\\d+)\\.(\\d*?)0+(?!\\d)");
  private static final Pattern DIMENSIONS =
      Pattern.compile("(?<=\\d) ?[x×] ?(?=\\d)", Pattern.CASE_INSENSITIVE);
  private static final Pattern MEASURE;

  static {
    StringBuilder alternatives = new StringBuilder();
    for (String spelling : UNITS.keySet()) {
      if (!alternatives.isEmpty()) {
        alternatives.append('|');
      }
      alternatives.append(spelling);
    }
    // A number, optional space or hyphen, a unit, and then no letter (so "4 inches" but not "4
    // inside").
    MEASURE =
        Pattern.compile(
            "(?<![\\w.])" + NUMBER + "[ -]?(" + alternatives + ")(?![\\p{L}\\d])",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  private UnitNormalizer() {}

  /** {@code text} with its measurements in canonical form. */
  public static String normalize(String text) {
    if (!hasDigit(text)) {
      return text;
    }
    String s = text;
    if (s.indexOf('/') >= 0) {
      s =
          replace(
              MIXED_FRACTION,
              s,
              m -> decimal(new BigDecimal(m.group(1)).add(divide(m.group(2), m.group(3)))));
      s = replace(FRACTION, s, m -> decimal(divide(m.group(1), m.group(2))));
    }
    if (s.indexOf('.') >= 0) {
      if (mayHaveLeadingDot(s)) {
        s = LEADING_DOT.matcher(s).replaceAll("0.$1");
      }
      if (mayHaveTrailingZeros(s)) {
        s =
            replace(
                TRAILING_ZEROS,
                s,
                m -> m.group(2).isEmpty() ? m.group(1) : m.group(1) + "." + m.group(2));
      }
    }
    s = replaceMeasures(s);
    if (mayHaveDimensions(s)) {
      s = DIMENSIONS.matcher(s).replaceAll("x");
    }
    return s;
  }

  /**
   * Applies {@link #MEASURE} only where a number starts: the pattern opens with a look-behind,
   * which the regex engine would otherwise try at every character.
   */
  private static String replaceMeasures(String text) {
    Matcher m = MEASURE.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
    StringBuilder out = null;
    int copied = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9' || (i > 0 && Character.isLetterOrDigit(text.charAt(i - 1)))) {
        continue;
      }
      if (!unitMayFollow(text, i)) {
        continue;
      }
      m.region(i, n);
      if (m.lookingAt()) {
        if (out == null) {
          out = new StringBuilder(n + 8);
        }
        out.append(text, copied, i).append(m.group(1)).append(canonical(m.group(2)));
        copied = m.end();
        i = m.end() - 1;
      }
    }
    return out == null ? text : out.append(text, copied, n).toString();
  }

  private static String canonical(String spelling) {
    String lower = spelling.toLowerCase(Locale.ROOT);
    for (Map.Entry<Pattern, String> e : UNIT_PATTERNS.entrySet()) {
      if (e.getKey().matcher(lower).matches()) {
        return e.getValue();
      }
    }
    return lower;
  }

  private static BigDecimal divide(String numerator, String denominator) {
    BigDecimal d = new BigDecimal(denominator);
    if (d.signum() == 0) {
      return BigDecimal.ZERO;
    }
    return new BigDecimal(numerator).divide(d, 4, RoundingMode.HALF_UP);
  }

  private static String decimal(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0).toPlainString() : stripped.toPlainString();
  }

  /**
   * Whether an x or × stands between digits (a space allowed on either side): cheaper than the
   * regex.
   */
  private static boolean mayHaveDimensions(String s) {
    int n = s.length();
    for (int i = 1; i < n - 1; i++) {
      char c = s.charAt(i);
      if ((c == 'x' || c == 'X' || c == '×') && digitNear(s, i - 1, -1) && digitNear(s, i + 1, 1)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code s[i]} is a digit, or a space followed (in direction {@code step}) by one. */
  private static boolean digitNear(String s, int i, int step) {
    char c = s.charAt(i);
    if (c == ' ') {
      i += step;
      if (i < 0 || i >= s.length()) {
        return false;
      }
      c = s.charAt(i);
    }
    return c >= '0' && c <= '9';
  }

  /**
   * Exactly when {@link #LEADING_DOT} can match: a '.' before a digit, not after a word character
   * or '.'.
   */
  private static boolean mayHaveLeadingDot(String s) {
    for (int i = s.indexOf('.'); i >= 0; i = s.indexOf('.', i + 1)) {
      if (i + 1 < s.length()
          && isAsciiDigit(s.charAt(i + 1))
          && (i == 0 || !(isAsciiWord(s.charAt(i - 1)) || s.charAt(i - 1) == '.'))) {
        return true;
      }
    }
    return false;
  }

  /** Exactly when {@link #TRAILING_ZEROS} can match: digits, '.', a digit run ending in 0. */
  private static boolean mayHaveTrailingZeros(String s) {
    for (int i = s.indexOf('.'); i >= 0; i = s.indexOf('.', i + 1)) {
      if (i == 0 || !isAsciiDigit(s.charAt(i - 1))) {
        continue;
      }
      int end = i + 1;
      while (end < s.length() && isAsciiDigit(s.charAt(end))) {
        end++;
      }
      if (end > i + 1 && s.charAt(end - 1) == '0') {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a unit can follow the number starting at {@code start}: after the digits (and a decimal
   * part) and at most one space or hyphen comes a letter or an inch/foot mark. A cheap superset of
   * where {@link #MEASURE} matches, so its long alternation is only tried where it might.
   */
  private static boolean unitMayFollow(String s, int start) {
    int i = start;
    int n = s.length();
    while (i < n && isAsciiDigit(s.charAt(i))) {
      i++;
    }
    if (i + 1 < n && s.charAt(i) == '.' && isAsciiDigit(s.charAt(i + 1))) {
      i++;
      while (i < n && isAsciiDigit(s.charAt(i))) {
        i++;
      }
    }
    if (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '-')) {
      i++;
    }
    if (i >= n) {
      return false;
    }
    char c = s.charAt(i);
    return Character.isLetter(c)
        || c == '"'
        || c == '\''
        || c == '”'
        || c == '″'
        || c == '’'
        || c == '′';
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAsciiWord(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isAsciiDigit(c) || c == '_';
  }

  /** Whether {@code s} holds an ASCII digit. */
  public static boolean hasDigit(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        return true;
      }
    }
    return false;
  }

  private interface Replacement {
    String apply(Matcher m);
  }

  private static String replace(Pattern pattern, String text, Replacement replacement) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    do {
      out.append(text, last, m.start()).append(replacement.apply(m));
      last = m.end();
    } while (m.find());
    return out.append(text, last, text.length()).toString();
  }
}
