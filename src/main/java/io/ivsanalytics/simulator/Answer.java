package io.ivsanalytics.simulator;

import io.ivsanalytics.simulator.SimulatorStats.Outcome;

/** What to send: status, error type (null on success), body or error message, outcome. */
record Answer(int status, String errorType, String body, Outcome outcome) {
  /** Close the connection without a response. */
  static final Answer RESET = new Answer(0, null, null, Outcome.RESET);

  static Answer error(ApiError e) {
    Outcome o =
        e.status == 429
            ? Outcome.THROTTLED
            : e.status >= 500 ? Outcome.SERVER_ERROR : Outcome.CLIENT_ERROR;
    return new Answer(e.status, e.type, e.getMessage(), o);
  }

  static Answer ok(String json) {
    return new Answer(200, null, json, Outcome.OK);
  }
}
