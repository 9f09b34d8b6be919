"""Stacks and the policies they share: CloudFormation's quotas, and how many configuration sets a shared policy can list."""

from __future__ import annotations

# CloudFormation's quotas on a stack: 500 resources, and a template of 1 MB (uploaded to S3).
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
MAX_RESOURCES_PER_STACK = 500


MAX_TEMPLATE_BYTES = 1_000_000


def source_arn_characters(name: str) -> int:
    """Characters the ``aws:SourceArn`` entry of the set ``name`` takes in a policy, counted at
    its longest (the longest partition and Region names): a policy that fits here fits wherever
    it is deployed."""
    return len(name) + CONFIGURATION_SET_ARN_OVERHEAD


TRUST_POLICY_ARN_ROOM = 1_600
"""Room for the listed ARNs in a role trust policy: 2,048 characters
(:data:`MAX_TRUST_POLICY_CHARACTERS`) less about 450 for the principal, action and the other
condition (the rest of the policy takes about 230). About 20 sets of 10-character names."""


SNS_TOPIC_POLICY_ARN_ROOM = 26_000
"""Room for the listed ARNs in an SNS event topic's policy: 30 KB less the TLS statement, the
alarm or subscription statements and a margin."""


KMS_KEY_POLICY_ARN_ROOM = 28_000
"""Room for the listed ARNs in a topic key's policy: 32 KB less the account's statement and a
margin."""


MAX_STACKS_PER_REGION = 2_000
"""CloudFormation's default quota of stacks per account and Region ("AWS CloudFormation quotas",
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html). A
layout file's stack numbers are checked against it."""


MAX_TRUST_POLICY_CHARACTERS = 2_048
"""IAM role trust policy, default quota ("IAM and AWS STS quotas",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html; whitespace is not
counted)."""


MAX_SNS_TOPIC_POLICY_BYTES = 30 * 1024
"""SNS topic policy ("Amazon SNS API permissions: Actions and resources reference", policy
quotas: 30 KB, https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-language-api-permissions-reference.html)."""


MAX_KMS_KEY_POLICY_BYTES = 32 * 1024
"""KMS key policy document ("AWS KMS quotas", key policy document size: 32 KB,
https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html)."""


CONFIGURATION_SET_ARN_OVERHEAD = len(
    '"arn:aws-us-gov:ses:ap-southeast-5:123456789012:configuration-set/",'
)
"""Characters an ``aws:SourceArn`` entry takes beside the set name, at the longest partition
and Region names (the ARN, its quotes and a comma)."""


MAX_STACK_DESCRIPTION_CHARACTERS = 1_024
"""A CloudFormation template's Description: at most 1,024 bytes ("Template format: Description",
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-description-structure.html)."""
