/**
 * Tools for shopping agents built on the catalog, behaviour and recommendations: comparing items
 * ({@link dev.magpie.engine.agent.ItemComparer}) and completing a basket to a spending threshold
 * ({@link dev.magpie.engine.agent.BasketCompleter}). Every statement they make is derived from data
 * the caller can see: prices, attributes, ratings, what shoppers did, and the recommender's
 * reasons.
 */
package dev.magpie.engine.agent;
