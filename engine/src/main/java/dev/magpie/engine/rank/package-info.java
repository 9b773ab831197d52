/**
 * Ranking shared by search and recommendation: the {@link dev.magpie.engine.rank.Feature} list and
 * the {@link dev.magpie.engine.rank.RankingModel} (linear weights plus optional gradient-boosted
 * {@link dev.magpie.engine.rank.TreeEnsemble}) stored as a checksummed file. Nothing sponsored or
 * paid is a feature.
 */
package dev.magpie.engine.rank;
