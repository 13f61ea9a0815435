"""Calls the IVS simulator through boto3 and prints one JSON document (used by SimulatorCliTest).

usage: boto3_client.py ENDPOINT REGION CHANNEL_ARN STREAM_ID MISSING_CHANNEL_ARN
"""
import json
import sys

import boto3
from botocore.exceptions import ClientError

endpoint, region, channel_arn, stream_id, missing_arn = sys.argv[1:6]
ivs = boto3.client(
    "ivs",
    endpoint_url=endpoint,
    region_name=region,
    aws_access_key_id="AKIAFAKEFAKEFAKE",
    aws_secret_access_key="fake",
)
session = ivs.get_stream_session(channelArn=channel_arn, streamId=stream_id)["streamSession"]
channels = []
for page in ivs.get_paginator("list_channels").paginate(PaginationConfig={"PageSize": 2}):
    channels.extend(c["arn"] for c in page["channels"])
try:
    ivs.get_stream_session(channelArn=missing_arn, streamId=stream_id)
    error = None
except ClientError as e:
    error = {
        "code": e.response["Error"]["Code"],
        "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
        "exceptionMessage": e.response.get("exceptionMessage"),
    }
print(json.dumps({"session": session, "channels": channels, "error": error}, default=str))
