/**
 * Search quality evaluation: judged queries ({@link dev.magpie.bench.eval.JudgedQueries}), ranking
 * metrics ({@link dev.magpie.bench.eval.RankingMetrics}), the systems compared ({@link
 * dev.magpie.bench.eval.SearchSystem}: Magpie's BM25 and a plain-Lucene baseline), and the run that
 * scores them side by side ({@link dev.magpie.bench.eval.SearchEvaluation}).
 */
package dev.magpie.bench.eval;
