package dev.magpie.engine.catalog;

/**
 * Why a catalog row or a behaviour event was rejected; rejected records are counted by reason in
 * the load summary.
 */
public enum RejectReason {
  /** The id is missing or blank. */
  MISSING_ID,
  /** Another row already has this id (the first one wins). */
  DUPLICATE_ID,
  /** A required field other than the id is missing or blank. */
  MISSING_FIELD,
  /** The price is not a number, negative, too large, or has more decimals than its currency. */
  BAD_PRICE,
  /** The currency is not an ISO 4217 code. */
  BAD_CURRENCY,
  /** The stock is not a whole number, or negative. */
  BAD_STOCK,
  /** The rating is not a number from 0 to 5. */
  BAD_RATING,
  /** A yes/no field (sponsored) is neither. */
  BAD_FLAG,
  /** The category path has an empty segment or is too deep. */
  BAD_CATEGORY,
  /** An attribute is not a name with a scalar value. */
  BAD_ATTRIBUTE,
  /** The vector has the wrong dimension or a value that is not finite. */
  BAD_VECTOR,
  /** A field (or the whole record) is longer than its limit in {@link CatalogLimits}. */
  FIELD_TOO_LONG,
  /** The bytes are not valid UTF-8. */
  INVALID_UTF8,
  /** The record cannot be parsed: bad JSON, wrong column count, unclosed quote. */
  MALFORMED,
  /** The last record of the file ends mid-way (no newline and unparseable). */
  TRUNCATED,
  /** An event's type is not one of view, fav, cart, buy, rating (or their aliases). */
  BAD_EVENT_TYPE,
  /** An event's time is not epoch seconds, epoch milliseconds or an ISO-8601 instant. */
  BAD_TIMESTAMP,
  /** An event names an item the catalog does not have. */
  UNKNOWN_ITEM
}
