/**
 * The Model Context Protocol front: tools for AI shopping agents ({@code search_catalog}, {@code
 * lookup_catalog}, {@code get_product}, {@code compare_products}, {@code complete_basket}, {@code
 * recommend}), shaped on the Universal Commerce Protocol's catalog capability, served over stdio or
 * stateless Streamable HTTP in front of a Magpie server or router reached over gRPC. The gRPC
 * server does the work and applies its API keys, limits and metrics; this package turns tool calls
 * into {@code magpie.v1} calls and answers into structured content and a short summary.
 */
package dev.magpie.mcp;
