/**
 * Ranking models fitted to judged examples: coordinate ascent for linear weights ({@link
 * dev.magpie.learn.train.CoordinateAscent}) and LambdaMART trees on top ({@link
 * dev.magpie.learn.train.LambdaMart}), over {@link dev.magpie.learn.train.RankingExample}s.
 */
package dev.magpie.learn.train;
