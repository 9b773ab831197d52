package dev.magpie.engine.recommend;

import dev.magpie.engine.rank.Feature;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One recommended item and why.
 *
 * @param ordinal the item's ordinal in the snapshot
 * @param id the item's external id
 * @param score the ranking model's score: the sum of {@code parts}
 * @param parts each feature's contribution (weight times value), non-zero ones only
 * @param reasons short sentences an agent can quote, strongest first
 * @param channels where the item was found
 * @param exploration whether it fills the list's exploration share rather than ranking there
 * @param sponsored whether a seller paid to promote it: disclosed here, never part of the score
 */
public record RecommendedItem(
    int ordinal,
    String id,
    float score,
    Map<Feature, Float> parts,
    List<String> reasons,
    Set<Channel> channels,
    boolean exploration,
    boolean sponsored) {}
