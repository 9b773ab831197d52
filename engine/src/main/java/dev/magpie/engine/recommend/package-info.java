/**
 * Recommendation: candidates from a shopper's recent items through the behaviour model (items taken
 * together, directional complements), filled by popularity, each with the parts of its score.
 */
package dev.magpie.engine.recommend;
