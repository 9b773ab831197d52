/**
 * Loading catalogs into snapshots: {@link dev.magpie.ingest.load.CatalogLoader} reads every source,
 * drops duplicate ids, reports rejected rows, writes and publishes a new snapshot version, and
 * returns a {@link dev.magpie.ingest.load.LoadResult}; {@link dev.magpie.ingest.load.Progress}
 * shows how far it is.
 */
package dev.magpie.ingest.load;
