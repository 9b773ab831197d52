/**
 * The catalog model: what an {@link dev.magpie.engine.catalog.Item} is, the limits on each field
 * ({@link dev.magpie.engine.catalog.CatalogLimits}), and the one place that turns raw field values
 * into a valid item or a precise reason why not ({@link dev.magpie.engine.catalog.ItemBuilder},
 * {@link dev.magpie.engine.catalog.InvalidFieldException}). File formats live in the loader; the
 * server's updates use the same builder.
 */
package dev.magpie.engine.catalog;
