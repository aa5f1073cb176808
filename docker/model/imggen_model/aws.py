"""The two AWS calls the container makes, behind plain functions (boto3 is imported only here, lazily)."""

from __future__ import annotations

from typing import Callable


def s3_object_exists() -> Callable[[str, str], bool]:
    import boto3  # noqa: PLC0415 - only in the container
    from botocore.exceptions import ClientError  # noqa: PLC0415

    client = boto3.client("s3")

    def exists(bucket: str, key: str) -> bool:
        try:
            client.head_object(Bucket=bucket, Key=key)
            return True
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise

    return exists


def sns_publisher() -> Callable[[str, str], None]:
    import boto3  # noqa: PLC0415

    client = boto3.client("sns")

    def publish(topic_arn: str, message: str) -> None:
        client.publish(TopicArn=topic_arn, Message=message)

    return publish
