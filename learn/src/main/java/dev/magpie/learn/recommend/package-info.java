/**
 * Recommendation evaluation: leave-last-out over an event log ({@link
 * dev.magpie.learn.recommend.EventLog}), Magpie's recommender beside a most-popular and an item-kNN
 * cosine baseline ({@link dev.magpie.learn.recommend.RecommenderSystem}), and the run that scores
 * them ({@link dev.magpie.learn.recommend.RecommendEvaluation}).
 */
package dev.magpie.learn.recommend;
