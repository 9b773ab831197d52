/**
 * Loading catalogs into snapshots: {@link dev.magpie.loader.load.CatalogLoader} reads every source,
 * drops duplicate ids, reports rejected rows, writes and publishes a new snapshot version, and
 * returns a {@link dev.magpie.loader.load.LoadResult}; {@link dev.magpie.loader.load.Progress} shows
 * how far it is.
 */
package dev.magpie.loader.load;
