/**
 * The gRPC server: the {@code magpie.v1} API mapped onto the engine ({@link
 * dev.magpie.server.MagpieService}), the server that owns the snapshot and the transport ({@link
 * dev.magpie.server.MagpieServer}), and {@code magpie serve}. The engine knows nothing of gRPC;
 * this package only adapts requests, validates them and maps results.
 */
package dev.magpie.server;
