/**
 * Training and evaluation shared by {@code magpie train} and {@code magpie eval}: what both need
 * sits here ({@link dev.magpie.learn.RankingMetrics}, the {@link dev.magpie.learn.HeldOut} split);
 * search evaluation in {@code learn.search}, recommendation evaluation in {@code learn.recommend},
 * the trainers in {@code learn.train}. Dependencies run one way: search, recommend and train use
 * this package, never each other's internals, and nothing here knows the command line.
 */
package dev.magpie.learn;
