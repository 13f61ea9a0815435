package io.ivsanalytics.simulator;

import static io.ivsanalytics.simulator.IvsRequests.maxResults;
import static io.ivsanalytics.simulator.IvsRequests.optionalString;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.ivsanalytics.model.IvsArn;
import io.ivsanalytics.simulator.Fleet.Channel;
import io.ivsanalytics.simulator.Fleet.Session;
import io.ivsanalytics.simulator.IvsRequests.Request;
import io.ivsanalytics.simulator.SimulatedSts.Caller;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The five IVS read operations over a {@link Fleet}: the JSON of each answer, paging with nextToken
 * (ListStreamSessions most recent first), 404 ResourceNotFoundException for unknown channels and
 * streams, 403 AccessDeniedException for the forbidden ids.
 */
final class IvsOperations {
  private final Fleet fleet;
  private final SimulatorKnobs knobs;

  IvsOperations(Fleet fleet, SimulatorKnobs knobs) {
    this.fleet = fleet;
    this.knobs = knobs;
  }

  /** The JSON body of a successful answer to {@code req}; throws {@link ApiError} otherwise. */
  String answer(Request req) {
    return switch (req.op()) {
      case "GetStreamSession" -> getStreamSession(req.body());
      case "ListStreamSessions" -> listStreamSessions(req.body());
      case "GetChannel" -> getChannel(req.body());
      case "ListChannels" -> listChannels(req.body(), req.account(), req.region());
      case "BatchGetChannel" -> batchGetChannel(req.body(), req.caller());
      default -> throw new IllegalStateException(req.op());
    };
  }

  private String getStreamSession(JsonNode body) {
    String arn = body.get("channelArn").asText();
    String streamId = optionalString(body, "streamId");
    checkForbidden(arn, streamId);
    Channel ch = channelOr404(arn);
    Session s;
    if (streamId == null) {
      s = ch.sessions().isEmpty() ? null : ch.sessions().get(0);
      if (s == null) {
        throw new ApiError(
            404, "ResourceNotFoundException", "Channel " + arn + " has no stream sessions");
      }
    } else {
      s = ch.session(streamId);
      if (s == null) {
        throw new ApiError(
            404,
            "ResourceNotFoundException",
            "Stream session " + streamId + " not found for channel " + arn);
      }
    }
    return SessionJson.getStreamSessionResponse(ch, s, true);
  }

  private String listStreamSessions(JsonNode body) {
    String arn = body.get("channelArn").asText();
    checkForbidden(arn, null);
    Channel ch = channelOr404(arn);
    int max = maxResults(body);
    int offset = decodeToken(body, "s", ch.channelId());
    List<Session> all = ch.sessions();
    int end = Math.min(all.size(), offset + max);
    return SessionJson.render(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("streamSessions");
          for (int i = offset; i < end; i++) {
            SessionJson.writeSessionSummary(g, all.get(i));
          }
          g.writeEndArray();
          writeToken(g, end < all.size() ? encodeToken("s", end, ch.channelId()) : null);
          g.writeEndObject();
        });
  }

  private String getChannel(JsonNode body) {
    String arn = body.get("arn").asText();
    checkForbidden(arn, null);
    return SessionJson.getChannelResponse(channelOr404(arn), true);
  }

  private String listChannels(JsonNode body, String account, String region) {
    String byName = optionalString(body, "filterByName");
    String byRecording = optionalString(body, "filterByRecordingConfigurationArn");
    String byPolicy = optionalString(body, "filterByPlaybackRestrictionPolicyArn");
    if (byName != null && byRecording != null) {
      throw new ApiError(
          409,
          "ConflictException",
          "Cannot filter by name and recording configuration ARN at the same time");
    }
    List<Channel> all = new ArrayList<>();
    for (Channel c : fleet.channels(account, region)) {
      if ((byName == null || c.name().contains(byName))
          && (byRecording == null || c.recordingConfigurationArn().equals(byRecording))
          && (byPolicy == null || c.playbackRestrictionPolicyArn().equals(byPolicy))) {
        all.add(c);
      }
    }
    int max = maxResults(body);
    int offset = decodeToken(body, "c", account + "." + region);
    int end = Math.min(all.size(), offset + max);
    return SessionJson.render(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("channels");
          for (int i = offset; i < end; i++) {
            SessionJson.writeChannelSummary(g, all.get(i));
          }
          g.writeEndArray();
          writeToken(g, end < all.size() ? encodeToken("c", end, account + "." + region) : null);
          g.writeEndObject();
        });
  }

  private String batchGetChannel(JsonNode body, Caller caller) {
    List<Channel> found = new ArrayList<>();
    List<String[]> errors = new ArrayList<>();
    for (JsonNode a : body.get("arns")) {
      String arn = a.asText();
      Channel c = fleet.channel(arn);
      IvsArn parsed = IvsArn.tryParse(arn);
      if (parsed != null && !parsed.accountId().equals(caller.account())) {
        errors.add(
            new String[] {
              arn,
              "AccessDeniedException",
              IvsRequests.notAuthorized(caller, "BatchGetChannel", arn)
            });
      } else if (knobs.forbiddenIds().contains(arn)) {
        errors.add(new String[] {arn, "AccessDeniedException", "Access denied to " + arn});
      } else if (c == null) {
        errors.add(new String[] {arn, "ResourceNotFoundException", "Channel not found: " + arn});
      } else {
        found.add(c);
      }
    }
    return SessionJson.render(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("channels");
          for (Channel c : found) {
            SessionJson.writeChannel(g, c, true);
          }
          g.writeEndArray();
          g.writeArrayFieldStart("errors");
          for (String[] e : errors) {
            g.writeStartObject();
            g.writeStringField("arn", e[0]);
            g.writeStringField("code", e[1]);
            g.writeStringField("message", e[2]);
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private void checkForbidden(String arn, String streamId) {
    Set<String> forbidden = knobs.forbiddenIds();
    if (forbidden.contains(arn) || (streamId != null && forbidden.contains(streamId))) {
      throw new ApiError(
          403,
          "AccessDeniedException",
          "User is not authorized to access "
              + (streamId != null && forbidden.contains(streamId) ? streamId : arn));
    }
  }

  private Channel channelOr404(String arn) {
    Channel ch = fleet.channel(arn);
    if (ch == null) {
      throw new ApiError(404, "ResourceNotFoundException", "Channel not found: " + arn);
    }
    return ch;
  }

  private static String encodeToken(String kind, int offset, String scope) {
    String plain = kind + ":" + offset + ":" + scope;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  private static int decodeToken(JsonNode body, String kind, String scope) {
    String token = optionalString(body, "nextToken");
    if (token == null || token.isEmpty()) {
      return 0;
    }
    try {
      String[] p =
          new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":", 3);
      if (p.length == 3 && p[0].equals(kind) && p[2].equals(scope)) {
        int offset = Integer.parseInt(p[1]);
        if (offset >= 0) {
          return offset;
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the validation error
    }
    throw new ApiError(400, "ValidationException", "The nextToken is invalid: '" + token + "'");
  }

  private static void writeToken(JsonGenerator g, String token) throws IOException {
    if (token != null) {
      g.writeStringField("nextToken", token);
    }
  }
}
