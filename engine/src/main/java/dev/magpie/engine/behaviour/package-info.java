/**
 * What shoppers did: events (view, cart, fav, buy, rating), the interaction log they make, and the
 * behaviour model built from it: per-item statistics and item-to-item relations (co-occurrence
 * normalised against popularity, directional complements from the order of purchases).
 */
package dev.magpie.engine.behaviour;
