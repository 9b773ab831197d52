/**
 * Catalog file formats: JSON Lines ({@link dev.magpie.ingest.input.JsonlCatalogReader}) and CSV/TSV
 * with a column mapping ({@link dev.magpie.ingest.input.DelimitedCatalogReader}). Readers split the
 * input into records with their line numbers ({@link dev.magpie.ingest.input.LineReader}), check
 * UTF-8, parse fields into an {@link dev.magpie.engine.catalog.ItemBuilder}, and hand each valid
 * item or precise rejection to a {@link dev.magpie.ingest.input.CatalogSink}. A bad row never stops
 * the read.
 */
package dev.magpie.ingest.input;
