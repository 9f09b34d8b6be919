"""ses-events: Amazon SES event publishing as AWS CDK constructs and stacks.

- :mod:`ses_events.constructs`: configuration sets and event destinations for your own stacks;
- :mod:`ses_events.stacks`: deployable stacks built from a declarative spec;
- :mod:`ses_events.spec`: the spec (YAML) and its validation;
- :mod:`ses_events.rules`: the SES rules everything above checks against.
"""

from ses_events.errors import SesEventsValidationError

__all__ = ["SesEventsValidationError", "__version__"]
__version__ = "0.1.0"
