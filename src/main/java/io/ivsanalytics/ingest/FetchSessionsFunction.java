package io.ivsanalytics.ingest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsanalytics.model.RawArchive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ivs.IvsClient;
import software.amazon.awssdk.services.ivs.model.GetStreamSessionResponse;
import software.amazon.awssdk.services.ivs.model.StreamSession;

/**
 * Executor side of the fan-out: GetStreamSession for each (channel, stream) of the task's slice,
 * each response archived verbatim (passphrase removed, {@code fetchedAt} added) as it arrives.
 * Returns one outcome row per id.
 */
final class FetchSessionsFunction
    implements Function2<Integer, Iterator<ArrayList<String[]>>, Iterator<Row>> {
  private static final Logger LOG = LoggerFactory.getLogger(FetchSessionsFunction.class);

  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  /**
   * Fault-injection seam for tests of task retries: called after each archived id with the
   * partition, the task attempt number and the id's index in its worker. Null in production.
   */
  interface ArchivedHook {
    void afterArchived(int partition, int taskAttempt, int index);
  }

  static volatile ArchivedHook hook;

  private final WorkerConfig cfg;

  FetchSessionsFunction(WorkerConfig cfg) {
    this.cfg = cfg;
  }

  record Fetched(ObjectNode body, StreamSession session) {}

  @Override
  public Iterator<Row> call(Integer partition, Iterator<ArrayList<String[]>> slice)
      throws Exception {
    TaskContext task = TaskContext.get();
    int taskAttempt = task == null ? 0 : task.attemptNumber();
    if (taskAttempt > 0) {
      int removed =
          RawChunkWriter.removeEarlierAttempts(
              cfg.lakeFs(), cfg.lakeRoot(), cfg.runId(), partition);
      LOG.info(
          "fetch task {} attempt {}: removed {} raw files of its earlier attempts",
          partition,
          taskAttempt,
          removed);
    }
    return AccountRegionWorkers.run(
        partition,
        slice,
        cfg,
        "ivs-fetch",
        (group, region, ids, caller, out) ->
            fetchAll(partition, taskAttempt, group, region, ids, caller, out));
  }

  private void fetchAll(
      int partition,
      int taskAttempt,
      String group,
      String region,
      List<String[]> ids,
      RetryingCaller caller,
      List<Row> out)
      throws InterruptedException {
    ArchivedHook h = hook;
    IvsClient client = IvsClients.forAccountRegion(cfg.client(), group);
    try (RawChunkWriter writer =
        new RawChunkWriter(
            cfg.lakeFs(),
            cfg.lakeRoot(),
            cfg.runId(),
            partition,
            AccountRegionWorkers.workerName(group),
            cfg.chunkRecords(),
            cfg.chunkFlushMillis(),
            System::currentTimeMillis)) {
      for (int i = 0; i < ids.size(); i++) {
        String channelArn = ids.get(i)[0];
        String streamId = ids.get(i)[1];
        RetryingCaller.Result<Fetched> r =
            caller.call(
                () -> {
                  IvsClients.clearBody();
                  GetStreamSessionResponse resp =
                      client.getStreamSession(b -> b.channelArn(channelArn).streamId(streamId));
                  return parse(IvsClients.takeBody(), resp);
                });
        Instant fetchedAt = Instant.ofEpochMilli(r.endedMillis());
        if (!r.ok()) {
          out.add(
              Outcomes.row(
                  Outcomes.OP_GET,
                  channelArn,
                  streamId,
                  group,
                  Outcomes.ERROR,
                  r,
                  fetchedAt,
                  null,
                  null));
          continue;
        }
        StreamSession s = r.value().session();
        writer.add(
            i,
            s.startTime().atZone(ZoneOffset.UTC).toLocalDate().toString(),
            archiveLine(r.value().body(), fetchedAt));
        if (h != null) {
          h.afterArchived(partition, taskAttempt, i);
        }
        out.add(
            Outcomes.row(
                Outcomes.OP_GET,
                channelArn,
                streamId,
                group,
                Outcomes.FETCHED,
                r,
                fetchedAt,
                s.startTime(),
                s.endTime() != null));
      }
    }
  }

  /** The response body as IVS sent it, checked to be a stream session. */
  static Fetched parse(byte[] body, GetStreamSessionResponse resp) {
    if (body == null || body.length == 0) {
      throw new CallFailure.MalformedBodyException("empty response body", null);
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (IOException e) {
      throw new CallFailure.MalformedBodyException(
          "response body is not JSON: " + CallFailure.clean(e.getMessage()), e);
    }
    StreamSession s = resp.streamSession();
    if (!(node instanceof ObjectNode o)
        || !node.path(RawArchive.STREAM_SESSION).isObject()
        || s == null
        || s.startTime() == null) {
      throw new CallFailure.MalformedBodyException(
          "response has no streamSession with a startTime", null);
    }
    return new Fetched(o, s);
  }

  static byte[] archiveLine(ObjectNode body, Instant fetchedAt) {
    RawArchive.stripSecrets(body);
    body.put(RawArchive.FETCHED_AT, fetchedAt.toString());
    try {
      return JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize archive line", e);
    }
  }
}
