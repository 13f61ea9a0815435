package io.ivsanalytics.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ivs.IvsClient;
import software.amazon.awssdk.services.ivs.model.ChannelSummary;
import software.amazon.awssdk.services.ivs.model.ListChannelsResponse;

/**
 * {@code --discover}: every channel in each region (ListChannels, 100 per page) of each account of
 * {@code --accounts}, each through its role (without {@code --accounts}: the account of the base
 * credentials), on the driver, paced at the ListChannels quota of each account and region. A
 * failure here stops the run: without the channel list there is nothing to request.
 */
final class ChannelLister {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelLister.class);

  static List<FetchId> list(ClientSettings client, List<String> regions, FetchOptions o) {
    List<FetchId> out = new ArrayList<>();
    List<String> accounts =
        o.accounts().isEmpty() ? java.util.Collections.singletonList(null) : o.accounts();
    for (String account : accounts) {
      for (String region : regions) {
        list(client, account, region, o, out);
      }
    }
    return out;
  }

  private static void list(
      ClientSettings client, String account, String region, FetchOptions o, List<FetchId> out) {
    String where = account == null ? region : "account " + account + " in " + region;
    {
      RetryingCaller caller =
          new RetryingCaller(
              RateLimiter.system(o.quotaTps() * o.safety()),
              o.backoff(),
              o.maxAttempts(),
              o.callTimeoutMillis(),
              System::currentTimeMillis,
              Sleeper.SYSTEM,
              () -> ThreadLocalRandom.current().nextDouble());
      IvsClient ivs =
          account == null
              ? IvsClients.get(client, region)
              : IvsClients.forAccount(client, account, region);
      String token = null;
      int before = out.size();
      do {
        String pageToken = token;
        RetryingCaller.Result<ListChannelsResponse> r;
        try {
          r = caller.call(() -> ivs.listChannels(b -> b.maxResults(100).nextToken(pageToken)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while listing channels in " + where, e);
        }
        if (!r.ok()) {
          CallFailure f = r.failure();
          throw new IllegalStateException(
              String.format(
                  Locale.ROOT,
                  "ListChannels in %s failed after %d attempts: %s (HTTP %s) %s%s",
                  where,
                  r.attempts(),
                  f.code(),
                  f.httpStatus(),
                  f.message(),
                  account != null
                          && "AccessDeniedException".equals(f.code())
                          && client.roles().roleFor(account) == null
                      ? "; no role is configured for account "
                          + account
                          + ": set "
                          + AccountRoles.KEY_TEMPLATE
                          + " or add it to "
                          + AccountRoles.KEY_MAP
                      : ""));
        }
        for (ChannelSummary c : r.value().channels()) {
          FetchId id = FetchId.channel(c.arn());
          if (account != null && !id.accountRegion().startsWith(account + "/")) {
            // without a role the base credentials list their own account's channels
            throw new IllegalStateException(
                String.format(
                    Locale.ROOT,
                    "ListChannels for account %s in %s answered with channels of another account"
                        + " (%s): no role is configured for account %s; set %s (e.g."
                        + " arn:aws:iam::{account}:role/IvsAnalyticsRead) or add it to %s",
                    account,
                    region,
                    c.arn(),
                    account,
                    AccountRoles.KEY_TEMPLATE,
                    AccountRoles.KEY_MAP));
          }
          out.add(id);
        }
        token = r.value().nextToken();
      } while (token != null && !token.isEmpty());
      LOG.info("discovered {} channels in {}", out.size() - before, where);
    }
  }

  private ChannelLister() {}
}
