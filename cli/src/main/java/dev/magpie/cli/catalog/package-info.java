/**
 * Commands over catalogs and snapshot stores on disk: {@code magpie load}, {@code inspect}, {@code
 * search} and {@code generate}. The work is done by the ingest module and the engine; these classes
 * parse options and print.
 */
package dev.magpie.cli.catalog;
