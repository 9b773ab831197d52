/** {@code magpie cluster}: a sharded Magpie on this machine, for trying it and for fault trials. */
package dev.magpie.cli.cluster;
