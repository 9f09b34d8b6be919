-- Recipients to suppress: every address with a permanent (hard) bounce or a complaint, once,
-- with why and when first seen.
WITH reasons AS (
  SELECT lower(recipient.emailaddress) AS email_address, 'hard bounce' AS reason, bounce.timestamp AS at
  FROM events
  CROSS JOIN UNNEST(bounce.bouncedrecipients) AS t(recipient)
  WHERE eventtype = 'Bounce' AND bounce.bouncetype = 'Permanent'
  UNION ALL
  SELECT lower(recipient.emailaddress) AS email_address, 'complaint' AS reason, complaint.timestamp AS at
  FROM events
  CROSS JOIN UNNEST(complaint.complainedrecipients) AS t(recipient)
  WHERE eventtype = 'Complaint'
)
SELECT
  email_address,
  bool_or(reason = 'hard bounce') AS hard_bounced,
  bool_or(reason = 'complaint') AS complained,
  min(at) AS first_seen
FROM reasons
GROUP BY 1
ORDER BY 1
