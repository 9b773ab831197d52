/**
 * Reading behaviour event logs: a generic CSV or JSONL log, the Taobao UserBehavior format and
 * MovieLens ratings. Bad events are reported like bad catalog rows (file, line, field, value) and
 * skipped.
 */
package dev.magpie.ingest.events;
