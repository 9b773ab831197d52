package dev.magpie.ingest.input;

import java.util.Map;

/**
 * Decodes the HTML character references that scraped catalogs carry in their text ("&amp;amp;",
 * "&amp;#39;", "&amp;quot;"): all numeric references and the named ones product text uses. Unknown
 * names and malformed references are left as they are, so nothing is dropped.
 */
public final class HtmlEntities {
  private static final Map<String, String> NAMED =
      Map.ofEntries(
          Map.entry("amp", "&"),
          Map.entry("lt", "<"),
          Map.entry("gt", ">"),
          Map.entry("quot", "\""),
          Map.entry("apos", "'"),
          Map.entry("nbsp", "\u00A0"),
          Map.entry("reg", "®"),
          Map.entry("trade", "™"),
          Map.entry("copy", "©"),
          Map.entry("deg", "°"),
          Map.entry("frac12", "½"),
          Map.entry("frac14", "¼"),
          Map.entry("frac34", "¾"),
          Map.entry("times", "×"),
          Map.entry("ndash", "–"),
          Map.entry("mdash", "—"),
          Map.entry("hellip", "…"),
          Map.entry("lsquo", "‘"),
          Map.entry("rsquo", "’"),
          Map.entry("ldquo", "“"),
          Map.entry("rdquo", "”"),
          Map.entry("eacute", "é"),
          Map.entry("egrave", "è"),
          Map.entry("uuml", "ü"),
          Map.entry("ouml", "ö"),
          Map.entry("auml", "ä"),
          Map.entry("ntilde", "ñ"),
          Map.entry("middot", "·"),
          Map.entry("bull", "•"),
          Map.entry("prime", "′"),
          Map.entry("Prime", "″"),
          Map.entry("plusmn", "±"),
          Map.entry("micro", "µ"),
          Map.entry("sup2", "²"),
          Map.entry("sup3", "³"),
          Map.entry("euro", "€"),
          Map.entry("pound", "£"),
          Map.entry("cent", "¢"),
          Map.entry("yen", "¥"));
  private static final int MAX_NAME = 8;

  private HtmlEntities() {}

  /** {@code text} with its character references decoded. */
  public static String decode(String text) {
    int amp = text.indexOf('&');
    if (amp < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    while (amp >= 0) {
      int semi = text.indexOf(';', amp + 1);
      if (semi < 0) {
        break;
      }
      String replacement =
          semi - amp - 1 <= MAX_NAME + 2 ? resolve(text.substring(amp + 1, semi)) : null;
      if (replacement != null) {
        out.append(text, copied, amp).append(replacement);
        copied = semi + 1;
        amp = text.indexOf('&', copied);
      } else {
        amp = text.indexOf('&', amp + 1);
      }
    }
    return out.append(text, copied, text.length()).toString();
  }

  private static String resolve(String name) {
    if (name.length() > 1 && name.charAt(0) == '#') {
      try {
        int code =
            name.charAt(1) == 'x' || name.charAt(1) == 'X'
                ? Integer.parseInt(name.substring(2), 16)
                : Integer.parseInt(name.substring(1));
        if (code > 0
            && code <= Character.MAX_CODE_POINT
            && !(code >= 0xD800 && code <= 0xDFFF)
            && !Character.isISOControl(code)) {
          return Character.toString(code);
        }
      } catch (NumberFormatException e) {
        return null;
      }
      return null;
    }
    return NAMED.get(name);
  }
}
