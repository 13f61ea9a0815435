package io.ivsanalytics.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ivs.IvsClient;
import software.amazon.awssdk.services.ivs.model.ListStreamSessionsResponse;
import software.amazon.awssdk.services.ivs.model.StreamSessionSummary;

/**
 * Executor side of discovery: ListStreamSessions for each channel of the task's slice, 100 per
 * page, keeping the sessions whose start is in [from, to).
 *
 * <p>IVS lists a channel's sessions newest first, so paging stops at the first page that reaches a
 * session older than {@code from}. Should a channel's list not be in that order, the early stop is
 * disabled for it and every page is read.
 */
final class ListSessionsFunction
    implements Function2<Integer, Iterator<ArrayList<String[]>>, Iterator<Row>> {
  private static final Logger LOG = LoggerFactory.getLogger(ListSessionsFunction.class);
  static final int PAGE_SIZE = 100;

  private final WorkerConfig cfg;

  ListSessionsFunction(WorkerConfig cfg) {
    this.cfg = cfg;
  }

  @Override
  public Iterator<Row> call(Integer partition, Iterator<ArrayList<String[]>> slice)
      throws Exception {
    return AccountRegionWorkers.run(partition, slice, cfg, "ivs-discover", this::listAll);
  }

  private void listAll(
      String group, String region, List<String[]> channels, RetryingCaller caller, List<Row> out)
      throws InterruptedException {
    IvsClient client = IvsClients.forAccountRegion(cfg.client(), group);
    for (String[] c : channels) {
      listChannel(client, group, c[0], caller, out);
    }
  }

  private void listChannel(
      IvsClient client, String group, String channelArn, RetryingCaller caller, List<Row> out)
      throws InterruptedException {
    Instant from = Instant.ofEpochMilli(cfg.fromMillis());
    Instant to = Instant.ofEpochMilli(cfg.toMillis());
    int attempts = 0;
    int throttles = 0;
    long started = -1;
    boolean newestFirst = true;
    Instant previous = null;
    String token = null;
    RetryingCaller.Result<ListStreamSessionsResponse> r;
    do {
      String pageToken = token;
      r =
          caller.call(
              () ->
                  client.listStreamSessions(
                      b -> b.channelArn(channelArn).maxResults(PAGE_SIZE).nextToken(pageToken)));
      attempts += r.attempts();
      throttles += r.throttles();
      started = started < 0 ? r.startedMillis() : started;
      if (!r.ok()) {
        break;
      }
      token = r.value().nextToken();
      boolean reachedOlder = false;
      for (StreamSessionSummary s : r.value().streamSessions()) {
        Instant start = s.startTime();
        if (start == null) {
          continue;
        }
        if (previous != null && start.isAfter(previous) && newestFirst) {
          newestFirst = false;
          LOG.warn("{}: sessions not listed newest first; reading every page", channelArn);
        }
        previous = start;
        if (start.isBefore(from)) {
          reachedOlder = true;
        } else if (start.isBefore(to)) {
          out.add(
              Outcomes.row(
                  Outcomes.OP_LIST,
                  channelArn,
                  s.streamId(),
                  group,
                  Outcomes.DISCOVERED,
                  null,
                  null,
                  start,
                  s.endTime() != null));
        }
      }
      if (reachedOlder && newestFirst) {
        break;
      }
    } while (token != null && !token.isEmpty());
    RetryingCaller.Result<Object> total =
        new RetryingCaller.Result<>(
            null, r.failure(), attempts, throttles, started, r.endedMillis());
    out.add(
        Outcomes.row(
            Outcomes.OP_LIST,
            channelArn,
            null,
            group,
            r.ok() ? Outcomes.LISTED : Outcomes.ERROR,
            total,
            Instant.ofEpochMilli(r.endedMillis()),
            null,
            null));
  }
}
