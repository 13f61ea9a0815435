package io.ivsanalytics.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivsanalytics.model.IvsArn;
import io.ivsanalytics.simulator.SimulatedSts.Caller;
import java.io.IOException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parsing and validation of IVS request bodies as IVS does it (400 ValidationException for a bad
 * ARN or stream id, maxResults outside 1-100, a missing field; 403 AccessDeniedException for a
 * channel of another account), and where each request goes: the account and region of its quota and
 * the resource it names.
 */
final class IvsRequests {
  static final Set<String> OPERATIONS =
      Set.of(
          "GetStreamSession",
          "ListStreamSessions",
          "ListChannels",
          "BatchGetChannel",
          "GetChannel");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CHANNEL_ARN =
      Pattern.compile("arn:aws:ivs:[a-z0-9-]+:[0-9]+:channel/[a-zA-Z0-9-]+");
  private static final Pattern STREAM_ID = Pattern.compile("st-[a-zA-Z0-9]{23}");

  /**
   * The parsed, validated request: its operation and body, the account and region whose quota it
   * uses, the resource it names (one request identity: the same resource is the same request) and
   * its caller.
   */
  record Request(
      String op, JsonNode body, String account, String region, String resource, Caller caller) {}

  static Request parse(Caller caller, String op, byte[] raw) {
    JsonNode body;
    try {
      body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
    } catch (IOException e) {
      throw new ApiError(400, "ValidationException", "request body is not valid JSON");
    }
    if (body == null || !body.isObject()) {
      throw new ApiError(400, "ValidationException", "request body must be a JSON object");
    }
    switch (op) {
      case "GetStreamSession" -> {
        IvsArn arn = channelArn(body, "channelArn");
        String streamId = optionalString(body, "streamId");
        if (streamId != null && !STREAM_ID.matcher(streamId).matches()) {
          throw new ApiError(
              400,
              "ValidationException",
              "1 validation error detected: Value '"
                  + streamId
                  + "' at 'streamId' failed to satisfy constraint: Member must satisfy regular"
                  + " expression pattern: st-[a-zA-Z0-9]+ and have length 26");
        }
        requireOwner(caller, op, arn);
        return new Request(
            op, body, arn.accountId(), arn.region(), arn.format() + "|" + streamId, caller);
      }
      case "ListStreamSessions" -> {
        IvsArn arn = channelArn(body, "channelArn");
        maxResults(body);
        requireOwner(caller, op, arn);
        return new Request(
            op,
            body,
            arn.accountId(),
            arn.region(),
            arn.format() + "|" + optionalString(body, "nextToken"),
            caller);
      }
      case "GetChannel" -> {
        IvsArn arn = channelArn(body, "arn");
        requireOwner(caller, op, arn);
        return new Request(op, body, arn.accountId(), arn.region(), arn.format(), caller);
      }
      case "ListChannels" -> {
        maxResults(body);
        optionalString(body, "filterByName");
        return new Request(
            op,
            body,
            caller.account(),
            caller.region(),
            caller.account() + "/" + caller.region() + "|" + optionalString(body, "nextToken"),
            caller);
      }
      case "BatchGetChannel" -> {
        JsonNode arns = body.get("arns");
        if (arns == null || !arns.isArray()) {
          throw new ApiError(
              400,
              "ValidationException",
              "1 validation error detected: Value null at 'arns' failed to satisfy constraint:"
                  + " Member must not be null");
        }
        if (arns.size() < 1 || arns.size() > 50) {
          throw new ApiError(
              400,
              "ValidationException",
              "1 validation error detected: Value at 'arns' failed to satisfy constraint: Member"
                  + " must have length between 1 and 50 (got "
                  + arns.size()
                  + ")");
        }
        for (JsonNode a : arns) {
          if (!a.isTextual()
              || !CHANNEL_ARN.matcher(a.asText()).matches()
              || a.asText().length() > 128) {
            throw new ApiError(
                400,
                "ValidationException",
                "1 validation error detected: Value '"
                    + a.asText()
                    + "' at 'arns' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: "
                    + CHANNEL_ARN.pattern());
          }
        }
        return new Request(op, body, caller.account(), caller.region(), arns.toString(), caller);
      }
      default -> throw new IllegalStateException(op);
    }
  }

  /** 403 as AWS words it when the caller's account does not own the channel. */
  private static void requireOwner(Caller caller, String op, IvsArn arn) {
    if (!caller.account().equals(arn.accountId())) {
      throw new ApiError(403, "AccessDeniedException", notAuthorized(caller, op, arn.format()));
    }
  }

  static String notAuthorized(Caller caller, String op, String resource) {
    return "User: "
        + caller.principalArn()
        + " is not authorized to perform: ivs:"
        + op
        + " on resource: "
        + resource;
  }

  private static IvsArn channelArn(JsonNode body, String field) {
    String v = optionalString(body, field);
    if (v == null) {
      throw new ApiError(
          400,
          "ValidationException",
          "1 validation error detected: Value null at '"
              + field
              + "' failed to satisfy constraint: Member must not be null");
    }
    IvsArn arn = IvsArn.tryParse(v);
    if (v.length() > 128
        || !CHANNEL_ARN.matcher(v).matches()
        || arn == null
        || !arn.resourceType().equals("channel")) {
      throw new ApiError(
          400,
          "ValidationException",
          "1 validation error detected: Value '"
              + v
              + "' at '"
              + field
              + "' failed to satisfy constraint: "
              + "Member must satisfy regular expression pattern: "
              + CHANNEL_ARN.pattern());
    }
    return arn;
  }

  static String optionalString(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new ApiError(400, "ValidationException", "Value at '" + field + "' must be a string");
    }
    return n.asText();
  }

  static int maxResults(JsonNode body) {
    JsonNode n = body.get("maxResults");
    if (n == null || n.isNull()) {
      return 100;
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1 || n.asInt() > 100) {
      throw new ApiError(
          400,
          "ValidationException",
          "1 validation error detected: Value '"
              + n
              + "' at 'maxResults' failed to satisfy constraint: "
              + "Member must have value between 1 and 100");
    }
    return n.asInt();
  }

  private IvsRequests() {}
}
