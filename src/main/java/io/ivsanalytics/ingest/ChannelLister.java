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
 * {@code --discover}: every channel of the configured account in each region (ListChannels, 100
 * per page), on the driver, paced at the ListChannels quota. A failure here stops the run: without
 * the channel list there is nothing to request.
 */
final class ChannelLister {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelLister.class);

  static List<FetchId> list(ClientSettings client, List<String> regions, FetchOptions o) {
    List<FetchId> out = new ArrayList<>();
    for (String region : regions) {
      RetryingCaller caller =
          new RetryingCaller(RateLimiter.system(o.quotaTps() * o.safety()), o.backoff(), o.maxAttempts(),
              o.callTimeoutMillis(), System::currentTimeMillis, Sleeper.SYSTEM,
              () -> ThreadLocalRandom.current().nextDouble());
      IvsClient ivs = IvsClients.get(client, region);
      String token = null;
      int before = out.size();
      do {
        String pageToken = token;
        RetryingCaller.Result<ListChannelsResponse> r;
        try {
          r = caller.call(() -> ivs.listChannels(b -> b.maxResults(100).nextToken(pageToken)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while listing channels in " + region, e);
        }
        if (!r.ok()) {
          CallFailure f = r.failure();
          throw new IllegalStateException(
              String.format(Locale.ROOT, "ListChannels in %s failed after %d attempts: %s (HTTP %s) %s",
                  region, r.attempts(), f.code(), f.httpStatus(), f.message()));
        }
        for (ChannelSummary c : r.value().channels()) {
          out.add(FetchId.channel(c.arn()));
        }
        token = r.value().nextToken();
      } while (token != null && !token.isEmpty());
      LOG.info("discovered {} channels in {}", out.size() - before, region);
    }
    return out;
  }

  private ChannelLister() {}
}
