-- Revenue per month and currency, cancelled orders left out.
-- Load first: samples/data/orders.csv into bronze.orders (see samples/README.md).
SELECT date_trunc('month', order_date) AS month,
       currency,
       count(*)                        AS orders,
       sum(amount)                     AS revenue
FROM bronze.orders
WHERE status <> 'cancelled'
GROUP BY ALL
ORDER BY month, currency;
