"""AWS resource tags (configuration sets, topics, buckets, stacks)."""

from __future__ import annotations

from ses_events.rules.base import PatternRule, Undecided, _never

# AWS resource tags: a key of 1 to 128 and a value of 0 to 256 Unicode letters, digits, spaces and
# _ . : / = + - @; the "aws:" prefix is reserved; at most 50 tags per resource ("Tagging AWS
# resources", tag naming limits and requirements,
# https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions; the
# CloudFormation Tag type, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-resource-tags.html).
MAX_TAGS_PER_RESOURCE = 50


_TAG_CHARACTERS = (
    r"[\w \u00a0\u3000.:/=+\-@]"  # \w: Unicode letters, digits, '_'; spaces, not line breaks
)


TAG_KEY = PatternRule(
    rf"{_TAG_CHARACTERS}{{1,128}}",
    "1 to 128 letters, digits, spaces or _ . : / = + - @",
)


TAG_VALUE = PatternRule(
    rf"{_TAG_CHARACTERS}{{0,256}}", "0 to 256 letters, digits, spaces or _ . : / = + - @"
)


def tag_problems(
    tags: object, *, reserved: int = 0, undecided: Undecided = _never
) -> list[tuple[str, object, str]]:
    """Problems of a mapping of resource tags, as ``(field, value, rule)`` triples.

    ``reserved`` counts tags added to the same resource from elsewhere (a stack's tags); a key or
    value that is ``undecided`` (a token) is left to CloudFormation.
    """
    found: list[tuple[str, object, str]] = []
    if not isinstance(tags, dict):
        return [("tags", tags, "must be a mapping of tag keys to values")]
    if len(tags) + reserved > MAX_TAGS_PER_RESOURCE:
        found.append(
            (
                "tags",
                f"{len(tags) + reserved} tags",
                f"AWS allows at most {MAX_TAGS_PER_RESOURCE} tags per resource",
            )
        )
    for key, value in tags.items():
        for rule, part in ((TAG_KEY, key), (TAG_VALUE, value)):
            violation = rule.violation(part)
            if violation is not None and not undecided(part):
                found.append((f"tags[{key!r}]", part, violation))
        if isinstance(key, str) and key.lower().startswith("aws:"):
            found.append((f"tags[{key!r}]", key, "the 'aws:' prefix is reserved for AWS"))
    return found
