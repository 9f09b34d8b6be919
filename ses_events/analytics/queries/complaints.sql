-- Complaints by feedback type (what the recipient's mailbox provider reported).
SELECT
  configuration_set,
  COALESCE(complaint.complaintfeedbacktype, '(none)') AS feedback_type,
  count(*) AS complaints
FROM events
WHERE eventtype = 'Complaint'
GROUP BY 1, 2
ORDER BY 3 DESC, 1, 2
