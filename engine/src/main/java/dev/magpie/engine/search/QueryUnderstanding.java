package dev.magpie.engine.search;

import dev.magpie.engine.text.UnitNormalizer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes constraints that a query states in words out of its text and into filters, and says what it
 * took: a price bound ("under $50", "below 30 dollars", "$20-$40", "over 100 usd"), stock ("in
 * stock", "available now"), a brand the catalog sells (its whole name), and a colour that the
 * catalog's items carry as an attribute. A number only counts as a price with a currency sign or
 * word, or after "under"/"over"-like words when no unit follows ("under 50 lbs" is not a price). A
 * colour word that also names a thing (rose, sage, gold, orange) is a colour only when the query
 * says so ("in rose", "rose colored"): "trim the rose bushes" is about roses. An agent's opening
 * words ("I'm looking for", "can you show me") are left out of the text searched.
 */
final class QueryUnderstanding {
  private static final String AMOUNT = "(\\d+(?:[.,]\\d{1,2})?)";
  private static final String SIGN = "([$€£])";
  private static final String WORD = "(dollars?|usd|bucks|euros?|eur|gbp)";
  private static final Pattern RANGE =
      Pattern.compile(
          "(?:between\\s+)?"
              + SIGN
              + "?\\s*"
              + AMOUNT
              + "\\s*"
              + WORD
              + "?\\s*(?:-|to|and)\\s*"
              + SIGN
              + "?\\s*"
              + AMOUNT
              + "\\s*"
              + WORD
              + "?(?![\\p{L}\\d])",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern AT_MOST =
      Pattern.compile(
          "\\b(?:under|below|less than|cheaper than|no more than|at most|max(?:imum)?|up to|within)\\s*"
              + SIGN
              + "?\\s*"
              + AMOUNT
              + "\\s*"
              + WORD
              + "?(?!\\s*[\\p{L}\"'%]|[\\d])",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern AT_LEAST =
      Pattern.compile(
          "\\b(?:over|above|more than|at least|min(?:imum)?|starting at)\\s*"
              + SIGN
              + "?\\s*"
              + AMOUNT
              + "\\s*"
              + WORD
              + "?(?!\\s*[\\p{L}\"'%]|[\\d])",
          Pattern.CASE_INSENSITIVE);
  private static final Set<String> COLOURS =
      Set.of(
          "black",
          "white",
          "red",
          "blue",
          "navy",
          "grey",
          "gray",
          "green",
          "orange",
          "yellow",
          "purple",
          "pink",
          "brown",
          "beige",
          "tan",
          "teal",
          "burgundy",
          "silver",
          "gold",
          "olive",
          "ivory",
          "sage",
          "sand",
          "rose",
          "coral",
          "clear",
          "stainless",
          "bronze",
          "copper",
          "chrome");

  /**
   * Colour words that name things too: a colour only after "in" or before "color"/"colored" ("a
   * dress in sage", "rose colored glasses"), never in "rose bushes" or "orange juicer".
   */
  private static final Set<String> NOUN_COLOURS =
      Set.of(
          "rose",
          "sage",
          "sand",
          "olive",
          "coral",
          "orange",
          "gold",
          "silver",
          "copper",
          "bronze",
          "chrome",
          "clear",
          "ivory",
          "tan",
          "teal",
          "navy",
          "stainless");

  private static final Set<String> COLOUR_CUES_AFTER =
      Set.of("color", "colour", "colored", "coloured", "colors", "colours");
  private static final Pattern STOCK =
      Pattern.compile(
          "\\b(?:in[- ]stock|available (?:now|today)|ready to ship)\\b", Pattern.CASE_INSENSITIVE);

  /** How an agent's request may open, before what it asks for. */
  private static final Pattern OPENER =
      Pattern.compile(
          "^(?:(?:hi|hey|hello)\\b[,!.]?\\s*)?(?:please\\s+)?(?:(?:can|could|would|will)\\s+you\\s+(?:please\\s+)?)?"
              + "(?:(?:i['’]?m|i\\s+am|we['’]?re|we\\s+are)\\s+(?:looking|searching|shopping)\\s+for"
              + "|(?:i|we)\\s+(?:need|want|would\\s+like)(?:\\s+to\\s+(?:buy|find|get))?"
              + "|(?:i|we)['’]d\\s+like(?:\\s+to\\s+(?:buy|find|get))?"
              + "|(?:show|find|get|give|recommend|suggest)\\s+(?:me|us)(?:\\s+some)?"
              + "|help\\s+me\\s+(?:find|choose|pick)|looking\\s+for|searching\\s+for|search\\s+for"
              + "|do\\s+you\\s+(?:have|sell|carry)|where\\s+can\\s+i\\s+(?:buy|find|get))\\b[,:]?\\s*",
          Pattern.CASE_INSENSITIVE);

  /** First words an {@link #OPENER} can start with, checked before the pattern runs. */
  private static final Set<String> OPENER_STARTS =
      Set.of(
          "hi",
          "hey",
          "hello",
          "please",
          "can",
          "could",
          "would",
          "will",
          "i'm",
          "im",
          "i",
          "i'd",
          "we're",
          "we",
          "we'd",
          "show",
          "find",
          "get",
          "give",
          "recommend",
          "suggest",
          "help",
          "looking",
          "searching",
          "search",
          "do",
          "where");

  private static final List<String> COLOUR_ATTRIBUTES = List.of("color", "colour");
  private static final Pattern SPACES = Pattern.compile("\\s+");

  /**
   * Spaces and separators left at either end once a constraint is cut out ("science, under $40").
   */
  private static final Pattern DANGLING = Pattern.compile("^[\\s,;:]+|[\\s,;:]+$");

  /** A range is a price only with a currency sign or word. */
  private static final Pattern MONEY_HINTS = Pattern.compile("[$€£]|dollar|usd|buck|euro|eur|gbp");

  private static final List<String> AT_MOST_WORDS =
      List.of(
          "under",
          "below",
          "less than",
          "cheaper than",
          "no more than",
          "at most",
          "max",
          "up to",
          "within");
  private static final List<String> AT_LEAST_WORDS =
      List.of("over", "above", "more than", "at least", "min", "starting at");

  private QueryUnderstanding() {}

  /**
   * What understanding made of a query.
   *
   * @param text the text left to search
   * @param filters the filters it implies
   * @param constraints what was taken, for the caller to show
   */
  record Understanding(String text, SearchFilters filters, List<Constraint> constraints) {}

  /**
   * Understands {@code query}.
   *
   * @param hasAttribute whether any item has attribute (name, value), both lower case; null when
   *     the catalog has no colour attribute at all (colours are then left in the text without a
   *     look)
   */
  static Understanding understand(
      String query, CatalogVocabulary vocabulary, BiPredicate<String, String> hasAttribute) {
    List<Constraint> constraints = new ArrayList<>();
    String text = query;
    Matcher opener = opensLikeARequest(text) ? OPENER.matcher(text) : null;
    if (opener != null && opener.lookingAt() && opener.end() < text.length()) {
      constraints.add(new Constraint("filler", opener.group().strip(), "not searched"));
      text = text.substring(opener.end());
    }
    boolean inStock = false;
    String folded = text.toLowerCase(Locale.ROOT);
    Matcher stock =
        folded.contains("stock") || folded.contains("available") || folded.contains("ship")
            ? STOCK.matcher(text)
            : null;
    if (stock != null && stock.find()) {
      inStock = true;
      constraints.add(new Constraint("stock", stock.group(), "in stock only"));
      text = cut(text, stock);
    }
    boolean hasDigit = UnitNormalizer.hasDigit(text);
    if (!hasDigit
        && vocabulary.longestBrandWords() == 0
        && hasAttribute == null
        && constraints.isEmpty()) {
      return new Understanding(query, SearchFilters.NONE, List.of());
    }
    long min = -1;
    long max = -1;

    String lower =
        folded; // only pre-checks read it: what the stock cut removed holds no price word
    boolean moneyWords = hasDigit && MONEY_HINTS.matcher(lower).find();
    Matcher range = moneyWords ? RANGE.matcher(text) : null;
    while (range != null && range.find()) {
      boolean money =
          range.group(1) != null
              || range.group(3) != null
              || range.group(4) != null
              || range.group(6) != null;
      if (money) {
        min = cents(range.group(2));
        max = cents(range.group(5));
        if (min > max) {
          long t = min;
          min = max;
          max = t;
        }
        constraints.add(
            new Constraint("price", range.group().strip(), money(min) + " to " + money(max)));
        text = cut(text, range);
        break;
      }
    }
    Matcher atMost = hasDigit && containsAny(lower, AT_MOST_WORDS) ? AT_MOST.matcher(text) : null;
    // A bound that contradicts one read before it ("$50-$60 under $30") stays words of the text:
    // the
    // filters never exclude every price (found by fuzzing: such a query failed the search).
    if (atMost != null && atMost.find() && (min < 0 || cents(atMost.group(2)) >= min)) {
      max = cents(atMost.group(2));
      constraints.add(new Constraint("price", atMost.group().strip(), "<= " + money(max)));
      text = cut(text, atMost);
    }
    Matcher atLeast =
        hasDigit && containsAny(lower, AT_LEAST_WORDS) ? AT_LEAST.matcher(text) : null;
    if (atLeast != null && atLeast.find() && (max < 0 || cents(atLeast.group(2)) <= max)) {
      min = cents(atLeast.group(2));
      constraints.add(new Constraint("price", atLeast.group().strip(), ">= " + money(min)));
      text = cut(text, atLeast);
    }

    List<String> brands = new ArrayList<>();
    Map<String, String> attributes = new LinkedHashMap<>();
    List<String> words = new ArrayList<>(Arrays.asList(SPACES.split(text.strip())));
    words.removeIf(String::isEmpty);
    for (int i = 0; vocabulary.longestBrandWords() > 0 && i < words.size(); i++) {
      int longest = Math.min(vocabulary.longestBrandWords(), words.size() - i);
      for (int n = longest; n >= 1; n--) {
        String candidate = String.join(" ", words.subList(i, i + n));
        if (vocabulary.isBrand(candidate)) {
          brands.add(candidate);
          constraints.add(new Constraint("brand", candidate, candidate));
          words.subList(i, i + n).clear();
          i--;
          break;
        }
      }
    }
    for (int i = 0; hasAttribute != null && i < words.size(); i++) {
      String word = words.get(i).toLowerCase(Locale.ROOT);
      if (COLOURS.contains(word)
          && !attributes.containsValue(word)
          && (!NOUN_COLOURS.contains(word) || saidAsColour(words, i))) {
        for (String name : COLOUR_ATTRIBUTES) {
          if (hasAttribute.test(name, word)) {
            attributes.put(name, word);
            constraints.add(new Constraint("color", words.get(i), word));
            if (i + 1 < words.size()
                && COLOUR_CUES_AFTER.contains(words.get(i + 1).toLowerCase(Locale.ROOT))) {
              words.remove(i + 1);
            }
            words.remove(i--);
            break;
          }
        }
      }
    }
    if (constraints.isEmpty()) {
      return new Understanding(query, SearchFilters.NONE, List.of());
    }
    SearchFilters filters = new SearchFilters(List.of(), brands, min, max, inStock, attributes);
    return new Understanding(String.join(" ", words), filters, constraints);
  }

  /** Whether the first word of {@code text} is one an agent's request may open with. */
  private static boolean opensLikeARequest(String text) {
    int end = 0;
    while (end < text.length()
        && !Character.isWhitespace(text.charAt(end))
        && text.charAt(end) != ',') {
      end++;
    }
    return end > 0
        && OPENER_STARTS.contains(
            text.substring(0, end).toLowerCase(Locale.ROOT).replace('\u2019', '\''));
  }

  /** Whether the colour word at {@code i} is said as a colour: "in rose", "rose colored". */
  private static boolean saidAsColour(List<String> words, int i) {
    return i > 0 && words.get(i - 1).equalsIgnoreCase("in")
        || i + 1 < words.size()
            && COLOUR_CUES_AFTER.contains(words.get(i + 1).toLowerCase(Locale.ROOT));
  }

  private static boolean containsAny(String text, List<String> words) {
    for (String w : words) {
      if (text.contains(w)) {
        return true;
      }
    }
    return false;
  }

  private static String cut(String text, Matcher m) {
    String joined =
        (text.substring(0, m.start()) + " " + text.substring(m.end())).replaceAll("\\s+", " ");
    return DANGLING.matcher(joined).replaceAll("");
  }

  /**
   * An amount in major units ("49.99", "50") as minor units (two decimals); one too large for a
   * long ("under $99999999999999999999", found by fuzzing: it wrapped to a negative bound and
   * failed the search) is the largest long, a bound no price passes or every price meets.
   */
  private static long cents(String amount) {
    BigDecimal minor = new BigDecimal(amount.replace(',', '.')).movePointRight(2);
    return minor.compareTo(LARGEST) >= 0 ? Long.MAX_VALUE : minor.longValue();
  }

  private static final BigDecimal LARGEST = BigDecimal.valueOf(Long.MAX_VALUE);

  private static String money(long cents) {
    return BigDecimal.valueOf(cents, 2).toPlainString();
  }
}
