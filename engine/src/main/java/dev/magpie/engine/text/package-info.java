/**
 * Text retrieval over the catalog: product-aware analysis ({@link
 * dev.magpie.engine.text.ProductAnalyzer}, {@link dev.magpie.engine.text.UnitNormalizer}), the
 * Lucene index a snapshot carries in {@code text/} ({@link dev.magpie.engine.text.TextIndexWriter},
 * {@link dev.magpie.engine.text.TextIndex}), in which a document's id is its item ordinal.
 */
package dev.magpie.engine.text;
