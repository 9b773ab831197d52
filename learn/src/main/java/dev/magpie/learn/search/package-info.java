/**
 * Search quality evaluation: judged queries ({@link dev.magpie.learn.search.JudgedQueries}),
 * ranking metrics ({@link dev.magpie.learn.RankingMetrics}), the systems compared ({@link
 * dev.magpie.learn.search.SearchSystem}: Magpie's BM25 and a plain-Lucene baseline), and the run
 * that scores them side by side ({@link dev.magpie.learn.search.SearchEvaluation}).
 */
package dev.magpie.learn.search;
