package dev.magpie.bench.train;

/**
 * One judged query's candidates for training a ranking model.
 *
 * @param features each candidate's feature vector (indexed by Feature ordinal)
 * @param gains each candidate's judged gain (0 when not judged relevant)
 * @param idealGains every judged gain of the query, for the ideal DCG (relevant items the
 *     candidates missed count against every model alike)
 */
record RankingExample(float[][] features, double[] gains, double[] idealGains) {}
