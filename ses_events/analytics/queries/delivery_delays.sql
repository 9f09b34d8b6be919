-- Delivery delays by type (SES keeps retrying until the expiration time).
SELECT
  configuration_set,
  deliverydelay.delaytype AS delay_type,
  count(*) AS delays
FROM events
WHERE eventtype = 'DeliveryDelay'
GROUP BY 1, 2
ORDER BY 3 DESC, 1, 2
