package io.ivsanalytics.reports;

import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;

/** Mergeable counts of rows together with what a distinct count is over. */
final class Tally {

  /** Rows (tracks, events) and their distinct sessions. */
  static final class OfSessions implements Serializable {
    private static final long serialVersionUID = 1L;
    long rows;
    final SessionKeys sessions = new SessionKeys();

    OfSessions merge(OfSessions o) {
      rows += o.rows;
      sessions.addAll(o.sessions);
      return this;
    }
  }

  /** Rows (sessions, fetch errors) and the distinct names (channel ARNs) they are about. */
  static final class OfNames implements Serializable {
    private static final long serialVersionUID = 1L;
    long rows;
    final Set<String> names = new HashSet<>();

    void add(String name) {
      rows++;
      if (name != null) {
        names.add(name);
      }
    }

    OfNames merge(OfNames o) {
      rows += o.rows;
      names.addAll(o.names);
      return this;
    }
  }

  private Tally() {}
}
