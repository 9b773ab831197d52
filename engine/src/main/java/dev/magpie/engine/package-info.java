/**
 * The engine library: catalog, off-heap stores, snapshots, text, vectors, behaviour, knowledge,
 * search, recommendation, ranking and the live layer, one package each. This package holds only
 * what every one of them may use and none depends on: {@link
 * dev.magpie.engine.InvalidRequestException}, the one type for a caller's mistake, and {@link
 * dev.magpie.engine.RefCount}, the reference count of what readers hold while a writer replaces it.
 */
package dev.magpie.engine;
