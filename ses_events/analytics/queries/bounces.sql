-- Bounced recipients by bounce type, sub-type and recipient domain.
SELECT
  configuration_set,
  bounce.bouncetype AS bounce_type,
  bounce.bouncesubtype AS bounce_sub_type,
  lower(split_part(recipient.emailaddress, '@', 2)) AS recipient_domain,
  count(*) AS bounced_recipients
FROM events
CROSS JOIN UNNEST(bounce.bouncedrecipients) AS t(recipient)
WHERE eventtype = 'Bounce'
GROUP BY 1, 2, 3, 4
ORDER BY 5 DESC, 1, 2, 3, 4
