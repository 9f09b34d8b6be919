"""A stack the local AWS must refuse: 11 event destinations on one configuration set.

Written with aws-cdk-lib's L1 constructs, past ses-events' own checks, as someone might by hand.
"""

from aws_cdk import App, Stack
from aws_cdk import aws_ses as ses

app = App()
stack = Stack(app, "ElevenDestinations")
configuration_set = ses.CfnConfigurationSet(stack, "Set", name="crowded")
previous = None
for number in range(1, 12):
    destination = ses.CfnConfigurationSetEventDestination(
        stack,
        f"Destination{number}",
        configuration_set_name=configuration_set.ref,
        event_destination=ses.CfnConfigurationSetEventDestination.EventDestinationProperty(
            name=f"metrics-{number}",
            enabled=True,
            matching_event_types=["send"],
            cloud_watch_destination=ses.CfnConfigurationSetEventDestination.CloudWatchDestinationProperty(
                dimension_configurations=[
                    ses.CfnConfigurationSetEventDestination.DimensionConfigurationProperty(
                        dimension_name="ses:configuration-set",
                        dimension_value_source="messageTag",
                        default_dimension_value="unknown",
                    )
                ]
            ),
        ),
    )
    if previous is not None:  # one after another, so the eleventh is the one refused
        destination.add_dependency(previous)
    previous = destination
app.synth()
