/**
 * Ranking shared by search and recommendation: the {@link dev.magpie.engine.rank.Feature} list and the
 * linear {@link dev.magpie.engine.rank.RankingModel} stored as a checksummed file. Nothing sponsored
 * or paid is a feature.
 */
package dev.magpie.engine.rank;
