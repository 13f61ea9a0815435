package io.ivsanalytics.model.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A threshold that a report row crossed, as listed under {@code "alerts"} in summary.json.
 *
 * @param metric the column compared: {@code failure_rate}, {@code conformance_rate}, {@code
 *     failure_rate_change_pp} or {@code conformance_rate_change_pp}
 * @param channelType the row: a channel type or {@code ALL}
 * @param value the row's value of {@code metric} (a rate 0..1, or a change in percentage points)
 * @param prev the same rate over the previous window (null when it had no denominator there)
 * @param threshold the configured threshold {@code value} crossed
 * @param samples the rate's denominator in the window (takeover attempts, evaluated video tracks)
 * @param message one sentence for people
 */
@JsonPropertyOrder({"metric", "channel_type", "value", "prev", "threshold", "samples", "message"})
public record Alert(
    String metric,
    @JsonProperty("channel_type") String channelType,
    Double value,
    Double prev,
    double threshold,
    long samples,
    String message) {}
