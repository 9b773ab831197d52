/**
 * A Java client of a Magpie server's {@code magpie.v1} API ({@link
 * dev.magpie.client.MagpieClient}).
 */
package dev.magpie.client;
