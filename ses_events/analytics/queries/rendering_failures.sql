-- Rendering failures by template, with one of their error messages.
SELECT
  configuration_set,
  COALESCE(failure.templatename, '(none)') AS template_name,
  count(*) AS failures,
  min(failure.errormessage) AS error_message
FROM events
WHERE eventtype = 'Rendering Failure'
GROUP BY 1, 2
ORDER BY 3 DESC, 1, 2
