package io.ivsanalytics.ingest;

/** The role template tests give the job, so that it reaches every simulated account. */
public final class TestRoles {
  public static final String TEMPLATE = "arn:aws:iam::{account}:role/IvsAnalyticsRead";

  private TestRoles() {}
}
