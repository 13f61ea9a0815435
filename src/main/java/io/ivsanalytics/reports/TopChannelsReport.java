package io.ivsanalytics.reports;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * top_channels.csv: the channels with the most sessions in the window (at most {@link #LIMIT}),
 * with the name, type and tags of their latest session, sessions, sessions still live and hours
 * streamed by ended sessions. Tags are {@code key=value} pairs sorted by key, joined by "; ".
 */
public final class TopChannelsReport {
  public static final String FILE = ReportCatalog.TOP_CHANNELS;
  public static final int LIMIT = 20;
  public static final List<String> COLUMNS =
      List.of(
          "channel_arn",
          "channel_name",
          "channel_type",
          "tags",
          "sessions",
          "live_sessions",
          "streamed_hours");

  /** Most sessions first, then by channel ARN (a missing one last). */
  private static final Comparator<Map.Entry<String, SessionFold.ChannelSessions>> ORDER =
      Comparator.<Map.Entry<String, SessionFold.ChannelSessions>>comparingLong(
              e -> -e.getValue().sessions)
          .thenComparing(Map.Entry::getKey, Comparator.nullsLast(Comparator.naturalOrder()));

  /**
   * @param channels the window's sessions per channel
   */
  static ReportTable compute(Map<String, SessionFold.ChannelSessions> channels) {
    List<List<Object>> rows = new ArrayList<>();
    channels.entrySet().stream()
        .sorted(ORDER)
        .limit(LIMIT)
        .forEach(
            e -> {
              SessionFold.ChannelSessions c = e.getValue();
              List<Object> out = new ArrayList<>();
              out.add(e.getKey());
              out.add(c.name);
              out.add(c.type);
              out.add(tags(c.tags));
              out.add(c.sessions);
              out.add(c.live);
              out.add(c.seconds / 3600.0);
              rows.add(out);
            });
    return new ReportTable(FILE, COLUMNS, rows);
  }

  static String tags(Map<String, String> tags) {
    if (tags == null || tags.isEmpty()) {
      return null;
    }
    return new TreeMap<>(tags)
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("; "));
  }

  private TopChannelsReport() {}
}
