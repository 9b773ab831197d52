package dev.magpie.server;

import java.util.Locale;

/** What an API key may do; each role includes the ones before it. */
public enum Role {
  /** Search, look up, recommend. */
  READ,
  /** And update items and record events. */
  WRITE,
  /** And operate the server (stats, reload). */
  ADMIN;

  /** Whether this role may call a method that needs {@code required}. */
  boolean allows(Role required) {
    return compareTo(required) >= 0;
  }

  /**
   * The role named {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the roles when it is none of them
   */
  static Role parse(String name) {
    for (Role r : values()) {
      if (r.name().equalsIgnoreCase(name.strip())) {
        return r;
      }
    }
    throw new IllegalArgumentException("role must be read, write or admin, got '" + name + "'");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
