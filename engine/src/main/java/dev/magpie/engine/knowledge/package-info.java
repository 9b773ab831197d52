/**
 * Product knowledge a snapshot carries: category relations (complement, substitute), occasions,
 * synonyms and query rewrites ({@link dev.magpie.engine.knowledge.Knowledge}), read from the
 * operator's JSON file with precise errors and stored in the snapshot with a checksum ({@link
 * dev.magpie.engine.knowledge.KnowledgeFile}).
 */
package dev.magpie.engine.knowledge;
