package dev.magpie.engine.route;

import dev.magpie.engine.search.Constraint;
import dev.magpie.engine.search.Fusion;
import dev.magpie.engine.search.SearchReranker;
import java.util.List;

/**
 * What one shard found for a hybrid search: its candidates from both channels, each with both
 * channels' scores, and what it understood of the query, which every shard understands alike (their
 * dictionaries and statistics are the catalog's).
 *
 * @param nothingToSearch whether the request had nothing to search (no hits, a note says why)
 * @param searchedText the text searched once understood
 * @param understood what understanding applied (spelling corrections for the vector channel too)
 * @param notes warnings for the caller
 * @param fusion the fusion to apply, its text weight lowered by the query's vocabulary coverage
 * @param textRan whether the text channel ran
 * @param vectorRan whether the vector channel ran
 * @param typoRetryAllowed whether the text channel may still retry with typo tolerance (strict
 *     phase)
 * @param fuzzy whether the text channel ran typo-tolerant
 * @param textMatches items the text channel matched on this shard
 * @param candidates the candidates, the text channel's first
 */
public record ShardCandidates(
    boolean nothingToSearch,
    String searchedText,
    List<Constraint> understood,
    List<String> notes,
    Fusion fusion,
    boolean textRan,
    boolean vectorRan,
    boolean typoRetryAllowed,
    boolean fuzzy,
    long textMatches,
    List<Candidate> candidates) {
  /**
   * The searched text with the spelling corrections understanding made, as the reranker reads it.
   */
  public String correctedText() {
    return SearchReranker.corrected(searchedText, understood);
  }

  /** Copies the lists. */
  public ShardCandidates {
    understood = List.copyOf(understood);
    notes = List.copyOf(notes);
    candidates = List.copyOf(candidates);
  }

  /**
   * One candidate.
   *
   * @param id the item's external id
   * @param position its position in the whole catalog
   * @param textRank its rank among this shard's text candidates, from 1; 0 when not among them
   * @param textScore its BM25 score
   * @param vectorRank its rank among this shard's vector candidates, from 1; 0 when not among them
   * @param vectorScore its similarity with the query
   */
  public record Candidate(
      String id, long position, int textRank, float textScore, int vectorRank, float vectorScore) {}
}
