package dev.magpie.bench.load;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a load run's requests go. Each call starts one request without waiting for it (the
 * generator's thread must keep its schedule) and returns a future that completes, never
 * exceptionally, with how the request ended.
 */
interface LoadTarget extends AutoCloseable {
  /** A search for {@code query}, {@code k} hits. */
  CompletableFuture<Outcome> search(String query, int k);

  /** A lookup of {@code ids}. */
  CompletableFuture<Outcome> get(List<String> ids);

  /** {@code k} recommendations for {@code user} with {@code context} in view. */
  CompletableFuture<Outcome> recommend(String user, String context, int k);

  /** Sets {@code id}'s stock to {@code stock}. */
  CompletableFuture<Outcome> update(String id, int stock);

  /** Adds a new item {@code id} titled {@code title} with {@code stock}. */
  CompletableFuture<Outcome> add(String id, String title, int stock);

  /** Releases what the target holds (threads, connections); never throws. */
  @Override
  void close();
}
