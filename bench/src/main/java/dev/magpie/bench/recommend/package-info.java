/**
 * {@code magpie eval recommend}: leave-last-out evaluation of Magpie's recommender beside a
 * most-popular and an item-kNN cosine baseline, on an event log.
 */
package dev.magpie.bench.recommend;
