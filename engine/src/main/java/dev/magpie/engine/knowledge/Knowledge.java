package dev.magpie.engine.knowledge;

import java.util.List;

/**
 * What the catalog owner knows about products beyond the catalog rows.
 *
 * @param categories known category paths (a taxonomy; may be empty)
 * @param relations directed relations between categories
 * @param occasions occasions and the categories they call for
 * @param synonyms groups of interchangeable phrases ("sneakers", "running shoes", "trainers")
 * @param rewrites phrases to replace in queries before searching ("coffee machine" by "coffee
 *     maker")
 */
public record Knowledge(
    List<String> categories,
    List<Relation> relations,
    List<Occasion> occasions,
    List<List<String>> synonyms,
    List<Rewrite> rewrites) {

  /** No knowledge. */
  public static final Knowledge EMPTY =
      new Knowledge(List.of(), List.of(), List.of(), List.of(), List.of());

  /** Copies every list. */
  public Knowledge {
    categories = List.copyOf(categories);
    relations = List.copyOf(relations);
    occasions = List.copyOf(occasions);
    synonyms = synonyms.stream().map(List::copyOf).toList();
    rewrites = List.copyOf(rewrites);
  }

  /**
   * A directed relation: buyers of {@code from} often need {@code to} (complement), or may take
   * {@code to} instead (substitute).
   *
   * @param from category path
   * @param to category path
   * @param type "complement" or "substitute"
   * @param weight strength, 0 to 1
   */
  public record Relation(String from, String to, String type, double weight) {}

  /**
   * An occasion.
   *
   * @param name as shoppers say it ("camping trip")
   * @param categories the category paths it calls for
   */
  public record Occasion(String name, List<String> categories) {
    /** Copies the list. */
    public Occasion {
      categories = List.copyOf(categories);
    }
  }

  /**
   * A query rewrite.
   *
   * @param from the phrase as shoppers type it
   * @param to the phrase to search instead
   */
  public record Rewrite(String from, String to) {}
}
