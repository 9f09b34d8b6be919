"""The settings every bucket ses-events creates shares: private, encrypted, TLS-only, retained."""

from __future__ import annotations

from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk import aws_s3 as s3
from constructs import Construct

__all__ = ["private_bucket"]


def private_bucket(scope: Construct, id: str, **settings: Any) -> s3.Bucket:  # noqa: A002
    """A bucket that blocks public access, owns its objects, encrypts with SSE-S3, refuses
    requests without TLS 1.2 and is retained when its stack is deleted; ``settings`` adds to
    these (versioning, lifecycle, access logs)."""
    return s3.Bucket(
        scope,
        id,
        encryption=s3.BucketEncryption.S3_MANAGED,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        enforce_ssl=True,
        minimum_tls_version=1.2,
        removal_policy=RemovalPolicy.RETAIN,
        **settings,
    )
