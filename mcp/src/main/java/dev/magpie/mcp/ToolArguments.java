package dev.magpie.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tool call's arguments as the agent sent them (JSON decoded into maps, lists, strings, numbers
 * and booleans), read by name with the checks every tool needs. Each failure is a {@link
 * BadToolCall} naming the argument, the value and what is allowed.
 */
final class ToolArguments {
  private final String tool;
  private final Map<String, Object> values;

  ToolArguments(String tool, Map<String, Object> values) {
    this.tool = tool;
    this.values = values == null ? Map.of() : values;
  }

  /** The names of the arguments given, in the order sent. */
  List<String> names() {
    return List.copyOf(values.keySet());
  }

  /** Whether {@code name} was given (and not null). */
  boolean has(String name) {
    return values.get(name) != null;
  }

  /** A required text argument, not blank. */
  String text(String name) {
    String value = optionalText(name);
    if (value == null || value.isBlank()) {
      throw bad(name, values.get(name), "is required: a non-empty string");
    }
    return value;
  }

  /** A text argument, or null when not given. */
  String optionalText(String name) {
    Object value = values.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw bad(name, value, "must be a string");
    }
    return s;
  }

  /** An integer argument in {@code [min, max]}, or {@code fallback} when not given. */
  int integer(String name, int fallback, int min, int max) {
    Object value = values.get(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw bad(name, value, "must be a whole number from " + min + " to " + max);
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw bad(name, value, "must be from " + min + " to " + max);
    }
    return (int) v;
  }

  /** A number argument (a price, say) at least {@code min}, or null when not given. */
  Double number(String name, double min) {
    Object value = values.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw bad(name, value, "must be a number");
    }
    if (n.doubleValue() < min) {
      throw bad(name, value, "must be at least " + min);
    }
    return n.doubleValue();
  }

  /** A boolean argument, or {@code fallback} when not given. */
  boolean flag(String name, boolean fallback) {
    Object value = values.get(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean b)) {
      throw bad(name, value, "must be true or false");
    }
    return b;
  }

  /** A list of non-blank strings with at most {@code max} entries; empty when not given. */
  List<String> texts(String name, int max) {
    Object value = values.get(name);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw bad(name, value, "must be an array of strings");
    }
    if (list.size() > max) {
      throw bad(name, list.size(), "takes at most " + max + " entries");
    }
    List<String> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String s) || s.isBlank()) {
        throw bad(name + "[" + i + "]", list.get(i), "must be a non-empty string");
      }
      out.add(s);
    }
    return out;
  }

  /** A nested object argument, or null when not given. */
  ToolArguments object(String name) {
    Object value = values.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw bad(name, value, "must be an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = (Map<String, Object>) map;
    return new ToolArguments(prefix() + name + ".", fields);
  }

  /** A list of objects with at most {@code max} entries; empty when not given. */
  List<ToolArguments> objects(String name, int max) {
    Object value = values.get(name);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw bad(name, value, "must be an array of objects");
    }
    if (list.size() > max) {
      throw bad(name, list.size(), "takes at most " + max + " entries");
    }
    List<ToolArguments> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        throw bad(name + "[" + i + "]", list.get(i), "must be an object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) map;
      out.add(new ToolArguments(prefix() + name + "[" + i + "].", fields));
    }
    return out;
  }

  /** How arguments under this one are named: "search_catalog: " at the top, then "filters.". */
  private String prefix() {
    return tool.endsWith(".") ? tool : tool + ": ";
  }

  /** A {@link BadToolCall} for argument {@code name}. */
  BadToolCall bad(String name, Object value, String rule) {
    String where = prefix() + name;
    return new BadToolCall(
        where + " " + rule + " (got " + (value == null ? "nothing" : quoted(value)) + ")");
  }

  private static String quoted(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }
}
