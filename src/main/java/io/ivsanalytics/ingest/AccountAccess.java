package io.ivsanalytics.ingest;

import io.ivsanalytics.model.IvsArn;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * One summary line per account whose ids were denied: the account, how many ids, and what to set —
 * a role for an account without one, the trust policy of a role that could not be assumed, the
 * permissions of a role that was assumed but denied.
 */
final class AccountAccess {
  static final String ACCESS_DENIED = "AccessDeniedException";

  private record Denied(int ids, String firstMessage) {}

  static List<String> warnings(AccountRoles roles, List<Row> listed, List<Row> fetched) {
    Map<String, Denied> byAccount = new TreeMap<>();
    for (List<Row> rows : List.of(listed, fetched)) {
      for (Row r : rows) {
        if (!Outcomes.ERROR.equals(r.getAs("status"))
            || !ACCESS_DENIED.equals(r.getAs("error_code"))) {
          continue;
        }
        IvsArn arn = IvsArn.tryParse(r.getAs("channel_arn"));
        if (arn == null) {
          continue;
        }
        String message = r.getAs("message");
        byAccount.merge(
            arn.accountId(),
            new Denied(1, message),
            (a, b) ->
                new Denied(
                    a.ids() + 1, a.firstMessage() != null ? a.firstMessage() : b.firstMessage()));
      }
    }
    List<String> lines = new ArrayList<>();
    byAccount.forEach((account, d) -> lines.add(line(roles, account, d)));
    return lines;
  }

  private static String line(AccountRoles roles, String account, Denied d) {
    String role = roles.roleFor(account);
    String message = d.firstMessage() == null ? "" : d.firstMessage();
    if (role == null) {
      return String.format(
          Locale.ROOT,
          "account %s: %d id(s) AccessDeniedException with the base credentials; no role is"
              + " configured for this account: set %s (IVS_ANALYTICS_AWS_ROLE_ARN), e.g."
              + " arn:aws:iam::{account}:role/IvsAnalyticsRead, or add"
              + " '%s,arn:aws:iam::%s:role/NAME' to %s",
          account,
          d.ids(),
          AccountRoles.KEY_TEMPLATE,
          account,
          account,
          AccountRoles.KEY_MAP);
    }
    if (message.startsWith("cannot assume role")) {
      return String.format(
          Locale.ROOT,
          "account %s: %d id(s) not fetched: %s; check the role's trust policy (the job's"
              + " principal, the ExternalId in aws.role.external.id)",
          account,
          d.ids(),
          message);
    }
    return String.format(
        Locale.ROOT,
        "account %s: %d id(s) AccessDeniedException through role %s (%s); the role needs"
            + " ivs:GetStreamSession, ivs:ListStreamSessions, ivs:ListChannels, ivs:GetChannel,"
            + " ivs:BatchGetChannel",
        account,
        d.ids(),
        role,
        message);
  }

  private AccountAccess() {}
}
