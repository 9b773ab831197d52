/**
 * Recommendation over a snapshot: {@link dev.magpie.engine.recommend.Recommender} gathers
 * candidates from several channels (behaviour relations from the context and the shopper's recent
 * items, profile vector, knowledge relations and occasions, popular in liked categories, an
 * exploration share), scores them with the shared {@link dev.magpie.engine.rank.RankingModel},
 * diversifies the list and explains every item. {@link dev.magpie.engine.recommend.UserProfiles}
 * builds shoppers' profiles from the snapshot's histories and recorded events.
 */
package dev.magpie.engine.recommend;
