-- Orders still on their way, with the code exactly as received (leading zeros kept)
-- and who to contact.
SELECT o.order_code,
       o.order_date,
       o.status,
       o.ship_to,
       o.amount,
       o.currency,
       c.name,
       coalesce(c.email, '(no email)') AS email,
       list_contains(c.tags, 'newsletter') AS newsletter
FROM bronze.orders AS o
JOIN bronze.customers AS c USING (customer_id)
WHERE o.status IN ('pending', 'shipped')
ORDER BY o.order_date, o.order_code;
