-- Each SES tenant's health (the tenant message tag the sender helpers add, the tenant parameter):
-- messages sent, delivered, bounced and complained about (messages, not events), their bounce
-- and complaint rates against sends (the rates the tenant alarms watch), and the first and last
-- send; the worst bounce rate first.
WITH messages AS (
  SELECT
    COALESCE(element_at(element_at(mail.tags, :tenant), 1), '(none)') AS tenant,
    mail.messageid AS message_id,
    min(mail.timestamp) AS sent_at,
    count_if(eventtype = 'Send') > 0 AS sent,
    count_if(eventtype = 'Delivery') > 0 AS delivered,
    count_if(eventtype = 'Bounce') > 0 AS bounced,
    count_if(eventtype = 'Complaint') > 0 AS complained
  FROM events
  GROUP BY 1, 2
)
SELECT
  tenant,
  count_if(sent) AS sends,
  count_if(delivered) AS deliveries,
  count_if(bounced) AS bounces,
  count_if(complained) AS complaints,
  round(CAST(count_if(bounced) AS DOUBLE) / nullif(count_if(sent), 0), 4) AS bounce_rate,
  round(CAST(count_if(complained) AS DOUBLE) / nullif(count_if(sent), 0), 4) AS complaint_rate,
  min(sent_at) AS first_send,
  max(sent_at) AS last_send
FROM messages
GROUP BY 1
ORDER BY 6 DESC NULLS LAST, 7 DESC NULLS LAST, 1
