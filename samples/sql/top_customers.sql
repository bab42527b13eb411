-- Customers by number of orders and spend, joining the CSV and the JSON dataset.
SELECT c.customer_id,
       c.name,
       c.country,
       c.vip,
       count(o.order_id)            AS orders,
       sum(o.amount)                AS spend,
       max(o.order_date)            AS last_order
FROM bronze.customers AS c
LEFT JOIN bronze.orders AS o ON o.customer_id = c.customer_id AND o.status <> 'cancelled'
GROUP BY ALL
ORDER BY spend DESC NULLS LAST, c.customer_id;
