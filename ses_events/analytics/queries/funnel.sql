-- The funnel per configuration set, tag value (the message tag named by the tag parameter,
-- campaign by default) and send
-- day: sends, deliveries, opens, clicks, bounces and complaints (messages, not events), and their
-- rates against sends.
WITH messages AS (
  SELECT
    configuration_set,
    COALESCE(element_at(element_at(mail.tags, :tag), 1), '(none)') AS tag_value,
    date(from_iso8601_timestamp(mail.timestamp)) AS day,
    mail.messageid AS message_id,
    count_if(eventtype = 'Send') > 0 AS sent,
    count_if(eventtype = 'Delivery') > 0 AS delivered,
    count_if(eventtype = 'Open') > 0 AS opened,
    count_if(eventtype = 'Click') > 0 AS clicked,
    count_if(eventtype = 'Bounce') > 0 AS bounced,
    count_if(eventtype = 'Complaint') > 0 AS complained
  FROM events
  GROUP BY 1, 2, 3, 4
)
SELECT
  configuration_set,
  tag_value,
  day,
  count_if(sent) AS sends,
  count_if(delivered) AS deliveries,
  count_if(opened) AS opens,
  count_if(clicked) AS clicks,
  count_if(bounced) AS bounces,
  count_if(complained) AS complaints,
  round(CAST(count_if(delivered) AS DOUBLE) / nullif(count_if(sent), 0), 4) AS delivery_rate,
  round(CAST(count_if(opened) AS DOUBLE) / nullif(count_if(sent), 0), 4) AS open_rate,
  round(CAST(count_if(clicked) AS DOUBLE) / nullif(count_if(sent), 0), 4) AS click_rate,
  round(CAST(count_if(bounced) AS DOUBLE) / nullif(count_if(sent), 0), 4) AS bounce_rate,
  round(CAST(count_if(complained) AS DOUBLE) / nullif(count_if(sent), 0), 4) AS complaint_rate
FROM messages
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
