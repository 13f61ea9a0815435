package io.ivsanalytics.flatten;

import io.ivsanalytics.model.Schemas;
import org.apache.spark.sql.types.StructType;

/**
 * Column positions in the parser's row arrays: the record ({@link RecordSchema#RECORD}) and its
 * track, event, recording and error structs. Every position is looked up once, by name, from the
 * schemas that {@link RecordSchema} derives from {@link Schemas}, so a column added or moved there
 * needs no change here.
 */
final class RecordColumns {
  static final StructType R = RecordSchema.RECORD;
  static final int CHANNEL_ARN = R.fieldIndex("channel_arn");
  static final int ACCOUNT_ID = R.fieldIndex("account_id");
  static final int REGION = R.fieldIndex("region");
  static final int CHANNEL_ID = R.fieldIndex("channel_id");
  static final int STREAM_ID = R.fieldIndex("stream_id");
  static final int START_TIME = R.fieldIndex("start_time");
  static final int END_TIME = R.fieldIndex("end_time");
  static final int DURATION = R.fieldIndex("duration_seconds");
  static final int IS_LIVE = R.fieldIndex("is_live");
  static final int CHANNEL_NAME = R.fieldIndex("channel_name");
  static final int CHANNEL_TYPE = R.fieldIndex("channel_type");
  static final int LATENCY_MODE = R.fieldIndex("latency_mode");
  static final int CONTAINER_FORMAT = R.fieldIndex("container_format");
  static final int PRESET = R.fieldIndex("preset");
  static final int AUTHORIZED = R.fieldIndex("authorized");
  static final int INSECURE_INGEST = R.fieldIndex("insecure_ingest");
  static final int INGEST_ENDPOINT = R.fieldIndex("ingest_endpoint");
  static final int PLAYBACK_URL = R.fieldIndex("playback_url");
  static final int SRT_ENDPOINT = R.fieldIndex("srt_endpoint");
  static final int PLAYBACK_POLICY = R.fieldIndex("playback_restriction_policy_arn");
  static final int RECORDING_ARN = R.fieldIndex("recording_configuration_arn");
  static final int AD_ARN = R.fieldIndex("ad_configuration_arn");
  static final int MT_ENABLED = R.fieldIndex("multitrack_enabled");
  static final int MT_POLICY = R.fieldIndex("multitrack_policy");
  static final int MT_MAX_RES = R.fieldIndex("multitrack_maximum_resolution");
  static final int CHANNEL_TAGS = R.fieldIndex("channel_tags");
  static final int VIDEO_COUNT = R.fieldIndex("video_track_count");
  static final int AUDIO_COUNT = R.fieldIndex("audio_track_count");
  static final int EVENT_COUNT = R.fieldIndex("event_count");
  static final int EVENTS_TRUNCATED = R.fieldIndex("events_truncated");
  static final int FETCHED_AT = R.fieldIndex("fetched_at");
  static final int DT = R.fieldIndex(Schemas.DT);
  static final int TRACKS = R.fieldIndex(RecordSchema.TRACKS);
  static final int EVENTS = R.fieldIndex(RecordSchema.EVENTS);
  static final int RECORDING = R.fieldIndex(RecordSchema.RECORDING);
  static final int ERROR = R.fieldIndex(RecordSchema.ERROR);
  static final int SOURCE = R.fieldIndex(RecordSchema.SOURCE);
  static final int RECORD_ID = R.fieldIndex(RecordSchema.RECORD_ID);

  static final StructType T = RecordSchema.TRACK;
  static final int T_MEDIA = T.fieldIndex("media");
  static final int T_TRACK = T.fieldIndex("track");
  static final int T_INDEX = T.fieldIndex("track_index");
  static final int T_CODEC = T.fieldIndex("codec");
  static final int T_FAMILY = T.fieldIndex("codec_family");
  static final int T_ENCODER = T.fieldIndex("encoder");
  static final int T_PROFILE = T.fieldIndex("profile");
  static final int T_LEVEL = T.fieldIndex("level");
  static final int T_BITRATE = T.fieldIndex("target_bitrate");
  static final int T_FRAMERATE = T.fieldIndex("target_framerate");
  static final int T_WIDTH = T.fieldIndex("video_width");
  static final int T_HEIGHT = T.fieldIndex("video_height");
  static final int T_CHANNELS = T.fieldIndex("audio_channels");
  static final int T_SAMPLE_RATE = T.fieldIndex("sample_rate");

  static final StructType E = RecordSchema.EVENT;
  static final int E_INDEX = E.fieldIndex("event_index");
  static final int E_TIME = E.fieldIndex("event_time");
  static final int E_NAME = E.fieldIndex("name");
  static final int E_TYPE = E.fieldIndex("type");
  static final int E_CODE = E.fieldIndex("code");

  static final StructType C = RecordSchema.RECORDING_STRUCT;
  static final int C_ARN = C.fieldIndex("recording_configuration_arn");
  static final int C_NAME = C.fieldIndex("recording_configuration_name");
  static final int C_STATE = C.fieldIndex("state");
  static final int C_BUCKET = C.fieldIndex("s3_bucket");
  static final int C_RECONNECT = C.fieldIndex("reconnect_window_seconds");
  static final int C_SELECTION = C.fieldIndex("rendition_selection");
  static final int C_RENDITIONS = C.fieldIndex("renditions");
  static final int C_THUMB_MODE = C.fieldIndex("thumbnail_recording_mode");
  static final int C_THUMB_INTERVAL = C.fieldIndex("thumbnail_target_interval_seconds");
  static final int C_THUMB_RES = C.fieldIndex("thumbnail_resolution");
  static final int C_THUMB_STORAGE = C.fieldIndex("thumbnail_storage");
  static final int C_TAGS = C.fieldIndex("tags");

  static final StructType X = RecordSchema.ERROR_STRUCT;
  static final int X_CODE = X.fieldIndex("error_code");
  static final int X_STATUS = X.fieldIndex("http_status");
  static final int X_MESSAGE = X.fieldIndex("message");
  static final int X_ATTEMPTS = X.fieldIndex("attempts");

  private RecordColumns() {}
}
