-- The latest status of each message: one row per message ID, its last event and when.
WITH timed AS (
  SELECT
    configuration_set,
    mail.messageid AS message_id,
    eventtype,
    COALESCE(
      bounce.timestamp, complaint.timestamp, delivery.timestamp, open.timestamp, click.timestamp,
      deliverydelay.timestamp, subscription.timestamp, mail.timestamp
    ) AS event_time
  FROM events
)
SELECT
  message_id,
  configuration_set,
  max_by(eventtype, event_time) AS status,
  max(event_time) AS status_time,
  count(*) AS events
FROM timed
GROUP BY 1, 2
ORDER BY 1
