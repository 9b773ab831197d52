package dev.magpie.engine.search;

import dev.magpie.engine.knowledge.Knowledge;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies the snapshot's knowledge to query text: rewrites replace a phrase with another before
 * anything else ("coffee machine" becomes "coffee maker"); synonyms add the other phrases of a
 * group the query mentions ("sneakers" also searches "running shoes" and "trainers"), which the
 * searcher scores at a lower weight. Phrases match whole words, case-insensitively. Patterns are
 * compiled once per snapshot.
 */
final class QueryExpansion {
  private record CompiledRewrite(Pattern from, String fromText, String to) {}

  private record CompiledGroup(List<Pattern> patterns, List<String> phrases) {}

  private final List<CompiledRewrite> rewrites = new ArrayList<>();
  private final List<CompiledGroup> groups = new ArrayList<>();

  QueryExpansion(Knowledge knowledge) {
    for (Knowledge.Rewrite r : knowledge.rewrites()) {
      rewrites.add(new CompiledRewrite(phrase(r.from()), r.from(), r.to()));
    }
    for (List<String> group : knowledge.synonyms()) {
      groups.add(new CompiledGroup(group.stream().map(QueryExpansion::phrase).toList(), group));
    }
  }

  private static Pattern phrase(String text) {
    return Pattern.compile(
        "(?<![\\p{L}\\d])" + Pattern.quote(text.toLowerCase(Locale.ROOT)) + "(?![\\p{L}\\d])",
        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  /**
   * The expanded query.
   *
   * @param text the text to search after rewrites
   * @param synonyms phrases to search as well, at a lower weight
   * @param applied what was done, for the caller to see
   */
  record Expanded(String text, List<String> synonyms, List<Constraint> applied) {}

  Expanded expand(String query) {
    List<Constraint> applied = new ArrayList<>();
    String text = query;
    for (CompiledRewrite r : rewrites) {
      Matcher m = r.from().matcher(text);
      if (m.find()) {
        text = m.replaceAll(Matcher.quoteReplacement(r.to()));
        applied.add(new Constraint("rewrite", r.fromText(), r.to()));
      }
    }
    List<String> synonyms = new ArrayList<>();
    for (CompiledGroup g : groups) {
      for (int i = 0; i < g.patterns().size(); i++) {
        if (g.patterns().get(i).matcher(text).find()) {
          List<String> others = new ArrayList<>(g.phrases());
          others.remove(i);
          synonyms.addAll(others);
          applied.add(new Constraint("synonym", g.phrases().get(i), String.join(", ", others)));
          break;
        }
      }
    }
    return new Expanded(text, synonyms, applied);
  }
}
