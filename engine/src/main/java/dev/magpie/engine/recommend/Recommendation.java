package dev.magpie.engine.recommend;

/**
 * One recommended item and the parts of its score; {@code score} is their sum, nothing else.
 *
 * @param ordinal the item's ordinal
 * @param score the total
 * @param together from items the shopper had that others took together with this one
 * @param complement from items the shopper had that others acquired this one after
 * @param popularity from the item's popularity (only items no relation reached)
 * @param because the shopper's item that contributed most through a relation, or -1
 */
public record Recommendation(int ordinal, float score, float together, float complement, float popularity, int because) {}
