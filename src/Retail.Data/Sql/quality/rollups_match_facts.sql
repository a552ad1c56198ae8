-- rollups_match_facts: the days in [$1, $2] on which what the dashboard reads differs from the facts (published
-- batches only, also when a pipeline checks a day before publishing it: the dashboard never reads the others): the
-- fine rollups (sales by hour, products, receipts) and the month and week rollups of the periods where they are
-- current, each as its store rows and as its all-store rows (store_key 0, marts/120), both of which must equal the
-- facts; the channel and payment mix (store rows and all-store rows, marts/123) per day, channel and payment, and
-- per current period, and its receipt totals (marts/128); receipts and refund-only receipts per day and per current
-- period; and the customers' first purchases behind the new-customer counts (marts/124).
-- Returns one row per failing day and rollup (a pair that fails two ways is one row), so count(*) = 0 passes.
-- A warehouse loaded before the rollups gained their measures fails here until `retail rollups rebuild --from-facts`,
-- one migrated across marts/122 (empty mix tables) or marts/127 (no loyalty parts yet) until
-- `retail rollups rebuild --from-facts --only mix`.
WITH pub AS (
    SELECT batch_id FROM ops.published_batches WHERE min_sale_date <= $2 AND max_sale_date >= $1),
-- One row per receipt and channel and payment (a mix receipt): whether it holds returns only, whether any line has a
-- loyalty card. A receipt is its transaction on the day; a refund-only one has no line with a positive quantity.
fact_receipts AS (
    SELECT sale_date, transaction_id, channel_key, payment_key, bool_and(quantity < 0) AS refund_only,
           bool_or(customer_key <> 0) AS card
    FROM marts.fct_sales
    WHERE sale_date BETWEEN $1 AND $2 AND batch_id IN (SELECT batch_id FROM pub)
    GROUP BY sale_date, transaction_id, channel_key, payment_key),
day_receipts AS (
    SELECT sale_date, count(*) AS receipts, count(*) FILTER (WHERE refund_only) AS refunds
    FROM (SELECT sale_date, transaction_id, bool_and(refund_only) AS refund_only FROM fact_receipts GROUP BY 1, 2) t
    GROUP BY sale_date),
facts AS (
    SELECT * FROM (
        SELECT sale_date, count(*) AS lines, sum(quantity) AS units, sum(line_total_pence) AS revenue,
               coalesce(sum(line_total_pence) FILTER (WHERE quantity > 0), 0) AS gross,
               coalesce(-sum(line_total_pence) FILTER (WHERE quantity < 0), 0) AS returns, sum(discount_pence) AS discount
        FROM marts.fct_sales
        WHERE sale_date BETWEEN $1 AND $2 AND batch_id IN (SELECT batch_id FROM pub)
        GROUP BY sale_date) l
    JOIN day_receipts USING (sale_date)),
hourly AS (
    SELECT sale_date, store_key = 0 AS all_stores, sum(lines) AS lines, sum(units) AS units, sum(revenue_pence) AS revenue,
           sum(gross_pence) AS gross, sum(returns_pence) AS returns, sum(discount_pence) AS discount
    FROM marts.agg_sales_hourly
    WHERE sale_date BETWEEN $1 AND $2 AND batch_id IN (SELECT batch_id FROM pub)
    GROUP BY sale_date, store_key = 0),
products AS (
    SELECT sale_date, store_key = 0 AS all_stores, sum(units) AS units, sum(revenue_pence) AS revenue
    FROM marts.agg_product_daily
    WHERE sale_date BETWEEN $1 AND $2 AND batch_id IN (SELECT batch_id FROM pub)
    GROUP BY sale_date, store_key = 0),
receipts AS (
    SELECT sale_date, store_key = 0 AS all_stores, sum(receipts) AS receipts, sum(refund_receipts) AS refunds
    FROM marts.agg_receipts_daily
    WHERE sale_date BETWEEN $1 AND $2 AND batch_id IN (SELECT batch_id FROM pub)
    GROUP BY sale_date, store_key = 0),
current_months AS (
    SELECT r.month FROM marts.rollup_months r
    JOIN (/*month signatures*/) s ON s.period = r.month AND s.signature = r.signature),
current_weeks AS (
    SELECT r.week FROM marts.rollup_weeks r
    JOIN (/*week signatures*/) s ON s.period = r.week AND s.signature = r.signature),
weekly AS (
    SELECT sale_date, store_key = 0 AS all_stores, sum(lines) AS lines, sum(units) AS units, sum(revenue_pence) AS revenue,
           sum(gross_pence) AS gross, sum(returns_pence) AS returns, sum(discount_pence) AS discount
    FROM marts.agg_week_sales
    WHERE sale_date BETWEEN $1 AND $2 AND week IN (SELECT week FROM current_weeks)
    GROUP BY sale_date, store_key = 0),
monthly AS (
    SELECT sale_date, store_key = 0 AS all_stores, sum(lines) AS lines, sum(units) AS units, sum(revenue_pence) AS revenue,
           sum(gross_pence) AS gross, sum(returns_pence) AS returns, sum(discount_pence) AS discount
    FROM marts.agg_month_sales
    WHERE sale_date BETWEEN $1 AND $2 AND month IN (SELECT month FROM current_months)
    GROUP BY sale_date, store_key = 0),
-- The channel and payment mix per day, channel and payment (lines, money, receipts, and their loyalty parts: lines
-- with a card, receipts with any such line, marts/127), fine and then per current period; its store rows and its
-- all-store rows (marts/123) each compared with the facts.
facts_mix AS (
    SELECT * FROM (
        SELECT sale_date, channel_key, payment_key, count(*) AS lines, sum(line_total_pence) AS revenue,
               coalesce(sum(line_total_pence) FILTER (WHERE quantity > 0), 0) AS gross,
               count(*) FILTER (WHERE customer_key <> 0) AS l_lines,
               coalesce(sum(line_total_pence) FILTER (WHERE customer_key <> 0), 0) AS l_revenue,
               coalesce(sum(line_total_pence) FILTER (WHERE quantity > 0 AND customer_key <> 0), 0) AS l_gross
        FROM marts.fct_sales
        WHERE sale_date BETWEEN $1 AND $2 AND batch_id IN (SELECT batch_id FROM pub)
        GROUP BY sale_date, channel_key, payment_key) l
    JOIN (
        SELECT sale_date, channel_key, payment_key, count(*) AS receipts, count(*) FILTER (WHERE refund_only) AS refunds,
               count(*) FILTER (WHERE card) AS l_receipts, count(*) FILTER (WHERE card AND refund_only) AS l_refunds
        FROM fact_receipts GROUP BY sale_date, channel_key, payment_key) r USING (sale_date, channel_key, payment_key)),
facts_mix_parts AS (
    SELECT f.*, part.all_stores FROM facts_mix f CROSS JOIN (VALUES (false), (true)) AS part(all_stores)),
fine_mix AS (
    SELECT sale_date, all_stores, channel_key, payment_key, sum(lines) AS lines, sum(revenue) AS revenue, sum(gross) AS gross,
           sum(receipts) AS receipts, sum(l_lines) AS l_lines, sum(l_revenue) AS l_revenue, sum(l_gross) AS l_gross,
           sum(l_receipts) AS l_receipts, sum(refunds) AS refunds, sum(l_refunds) AS l_refunds
    FROM (SELECT sale_date, store_key = 0 AS all_stores, channel_key, payment_key, lines, revenue_pence AS revenue,
                 gross_pence AS gross, 0 AS receipts, loyalty_lines AS l_lines, loyalty_revenue_pence AS l_revenue,
                 loyalty_gross_pence AS l_gross, 0 AS l_receipts, 0 AS refunds, 0 AS l_refunds
          FROM marts.agg_mix_daily
          WHERE sale_date BETWEEN $1 AND $2 AND batch_id IN (SELECT batch_id FROM pub)
          UNION ALL
          SELECT sale_date, store_key = 0, channel_key, payment_key, 0, 0, 0, receipts, 0, 0, 0, loyalty_receipts,
                 refund_receipts, loyalty_refund_receipts
          FROM marts.agg_mix_receipts_daily
          WHERE sale_date BETWEEN $1 AND $2 AND batch_id IN (SELECT batch_id FROM pub) AND category_mask <> 0) x
    GROUP BY sale_date, all_stores, channel_key, payment_key),
mix_days AS (
    SELECT DISTINCT sale_date, all_stores
    FROM facts_mix_parts f FULL JOIN fine_mix m USING (sale_date, all_stores, channel_key, payment_key)
    WHERE (f.lines, f.revenue, f.gross, f.receipts, f.l_lines, f.l_revenue, f.l_gross, f.l_receipts, f.refunds, f.l_refunds)
          IS DISTINCT FROM (m.lines, m.revenue, m.gross, m.receipts, m.l_lines, m.l_revenue, m.l_gross, m.l_receipts, m.refunds,
                            m.l_refunds)),
-- A month's or week's mix and receipts have no day: each is checked, as of its first day, when the whole period is in
-- [$1, $2]. Receipts rows have no channel or payment (-1 in both).
period_rows AS (
    SELECT 'month' AS grain, 'mix' AS part, month AS period, store_key = 0 AS all_stores, channel_key, payment_key, lines,
           revenue_pence AS revenue, gross_pence AS gross, 0 AS receipts, loyalty_lines AS l_lines,
           loyalty_revenue_pence AS l_revenue, loyalty_gross_pence AS l_gross, 0 AS l_receipts, 0 AS refunds, 0 AS l_refunds
    FROM marts.agg_month_mix WHERE month IN (SELECT month FROM current_months)
    UNION ALL
    SELECT 'month', 'mix', month, store_key = 0, channel_key, payment_key, 0, 0, 0, receipts, 0, 0, 0, loyalty_receipts,
           refund_receipts, loyalty_refund_receipts
    FROM marts.agg_month_mix_receipts WHERE month IN (SELECT month FROM current_months) AND category_mask <> 0
    UNION ALL
    SELECT 'month', 'receipts', month, store_key = 0, -1, -1, 0, 0, 0, receipts, 0, 0, 0, 0, refund_receipts, 0
    FROM marts.agg_month_receipts WHERE month IN (SELECT month FROM current_months)
    UNION ALL
    SELECT 'week', 'mix', week, store_key = 0, channel_key, payment_key, lines, revenue_pence, gross_pence, 0,
           loyalty_lines, loyalty_revenue_pence, loyalty_gross_pence, 0, 0, 0
    FROM marts.agg_week_mix WHERE week IN (SELECT week FROM current_weeks)
    UNION ALL
    SELECT 'week', 'mix', week, store_key = 0, channel_key, payment_key, 0, 0, 0, receipts, 0, 0, 0, loyalty_receipts,
           refund_receipts, loyalty_refund_receipts
    FROM marts.agg_week_mix_receipts WHERE week IN (SELECT week FROM current_weeks) AND category_mask <> 0
    UNION ALL
    SELECT 'week', 'receipts', week, store_key = 0, -1, -1, 0, 0, 0, receipts, 0, 0, 0, 0, refund_receipts, 0
    FROM marts.agg_week_receipts WHERE week IN (SELECT week FROM current_weeks)),
fact_day_rows AS (
    SELECT 'mix' AS part, sale_date, all_stores, channel_key, payment_key, lines, revenue, gross, receipts, l_lines,
           l_revenue, l_gross, l_receipts, refunds, l_refunds
    FROM facts_mix_parts
    UNION ALL
    SELECT 'receipts', sale_date, all_stores, -1, -1, 0, 0, 0, receipts, 0, 0, 0, 0, refunds, 0
    FROM day_receipts CROSS JOIN (VALUES (false), (true)) AS part(all_stores)),
periods AS (
    SELECT 'month' AS grain, month AS period, (month + interval '1 month')::date - 1 AS last FROM current_months
    UNION ALL
    SELECT 'week', week, week + 6 FROM current_weeks),
period_rollup AS (
    SELECT grain, part, period, all_stores, channel_key, payment_key, sum(lines) AS lines, sum(revenue) AS revenue,
           sum(gross) AS gross, sum(receipts) AS receipts, sum(l_lines) AS l_lines, sum(l_revenue) AS l_revenue,
           sum(l_gross) AS l_gross, sum(l_receipts) AS l_receipts, sum(refunds) AS refunds, sum(l_refunds) AS l_refunds
    FROM period_rows GROUP BY 1, 2, 3, 4, 5, 6),
period_facts AS (
    SELECT p.grain, f.part, p.period, f.all_stores, f.channel_key, f.payment_key, sum(f.lines) AS lines,
           sum(f.revenue) AS revenue, sum(f.gross) AS gross, sum(f.receipts) AS receipts, sum(f.l_lines) AS l_lines,
           sum(f.l_revenue) AS l_revenue, sum(f.l_gross) AS l_gross, sum(f.l_receipts) AS l_receipts,
           sum(f.refunds) AS refunds, sum(f.l_refunds) AS l_refunds
    FROM periods p JOIN fact_day_rows f ON f.sale_date BETWEEN p.period AND p.last
    GROUP BY 1, 2, 3, 4, 5, 6),
period_failures AS (
    SELECT DISTINCT 'agg_' || grain || '_' || part || CASE WHEN all_stores THEN ' (all stores)' ELSE '' END AS rollup,
           period AS sale_date
    FROM period_facts f FULL JOIN period_rollup r USING (grain, part, period, all_stores, channel_key, payment_key)
    JOIN periods p USING (grain, period)
    WHERE p.period >= $1 AND p.last <= $2
      AND (f.lines, f.revenue, f.gross, f.receipts, f.l_lines, f.l_revenue, f.l_gross, f.l_receipts, f.refunds, f.l_refunds)
          IS DISTINCT FROM (r.lines, r.revenue, r.gross, r.receipts, r.l_lines, r.l_revenue, r.l_gross, r.l_receipts, r.refunds,
                            r.l_refunds)),
-- The mix receipts' total rows (category_mask 0, marts/128) equal the sum of the other rows of their key, which are
-- held to the facts above; named as those are.
total_failures AS (
    SELECT DISTINCT rollup || CASE WHEN store_key = 0 THEN ' (all stores)' ELSE '' END AS rollup, day AS sale_date
    FROM (
        SELECT 'agg_mix_daily' AS rollup, sale_date AS day, batch_id AS unit, store_key, channel_key, payment_key,
               category_mask = 0 AS total, receipts, refund_receipts, loyalty_receipts, loyalty_refund_receipts
        FROM marts.agg_mix_receipts_daily
        WHERE sale_date BETWEEN $1 AND $2 AND batch_id IN (SELECT batch_id FROM pub)
        UNION ALL
        SELECT 'agg_month_mix', m.month, 0, store_key, channel_key, payment_key, category_mask = 0, receipts, refund_receipts,
               loyalty_receipts, loyalty_refund_receipts
        FROM marts.agg_month_mix_receipts m JOIN periods p ON p.grain = 'month' AND p.period = m.month
        WHERE p.period >= $1 AND p.last <= $2
        UNION ALL
        SELECT 'agg_week_mix', w.week, 0, store_key, channel_key, payment_key, category_mask = 0, receipts, refund_receipts,
               loyalty_receipts, loyalty_refund_receipts
        FROM marts.agg_week_mix_receipts w JOIN periods p ON p.grain = 'week' AND p.period = w.week
        WHERE p.period >= $1 AND p.last <= $2) x
    GROUP BY rollup, day, unit, store_key, channel_key, payment_key
    HAVING (sum(receipts) FILTER (WHERE total), sum(refund_receipts) FILTER (WHERE total),
            sum(loyalty_receipts) FILTER (WHERE total), sum(loyalty_refund_receipts) FILTER (WHERE total))
           IS DISTINCT FROM (sum(receipts) FILTER (WHERE NOT total), sum(refund_receipts) FILTER (WHERE NOT total),
                             sum(loyalty_receipts) FILTER (WHERE NOT total), sum(loyalty_refund_receipts) FILTER (WHERE NOT total))),
-- New customers (marts/124): a kept first purchase in [$1, $2] is the customer's earliest published line there (same
-- instant, day, store and batch); a customer with published lines in [$1, $2] has a kept first purchase no later than
-- the earliest of them; the daily counts equal the kept first purchases. Over every day together this is "the first
-- purchase is the earliest published line"; a one-day check reads that day's facts only. Named by the first date.
range_first AS (
    SELECT DISTINCT ON (customer_key) customer_key, sold_at, sale_date, store_key, batch_id
    FROM marts.fct_sales
    WHERE sale_date BETWEEN $1 AND $2 AND customer_key <> 0 AND batch_id IN (SELECT batch_id FROM pub)
    ORDER BY customer_key, sold_at, store_key, batch_id),
kept_first AS (
    SELECT * FROM marts.customer_first_purchase WHERE first_date BETWEEN $1 AND $2),
first_purchase_failures AS (
    SELECT k.first_date AS sale_date, 'customer_first_purchase' AS rollup
    FROM kept_first k LEFT JOIN range_first r USING (customer_key)
    WHERE (k.first_sold_at, k.first_date, k.first_store_key, k.first_batch_id)
          IS DISTINCT FROM (r.sold_at, r.sale_date, r.store_key, r.batch_id)
    UNION
    SELECT r.sale_date, 'customer_first_purchase'
    FROM range_first r LEFT JOIN marts.customer_first_purchase c USING (customer_key)
    WHERE c.customer_key IS NULL OR (c.first_sold_at, c.first_store_key, c.first_batch_id) > (r.sold_at, r.store_key, r.batch_id)
    UNION
    SELECT first_date, 'agg_new_customers_daily'
    FROM (SELECT first_date, first_store_key AS store_key, count(*) AS n FROM kept_first GROUP BY 1, 2) k
    FULL JOIN (SELECT first_date, store_key, new_customers AS n FROM marts.agg_new_customers_daily
               WHERE first_date BETWEEN $1 AND $2) a USING (first_date, store_key)
    WHERE k.n IS DISTINCT FROM a.n),
days AS (
    SELECT sale_date FROM facts UNION SELECT sale_date FROM hourly UNION SELECT sale_date FROM products
    UNION SELECT sale_date FROM receipts UNION SELECT sale_date FROM monthly UNION SELECT sale_date FROM weekly
    UNION SELECT sale_date FROM mix_days)
SELECT d.sale_date, x.rollup || part.label AS rollup
FROM days d
LEFT JOIN facts f ON f.sale_date = d.sale_date
CROSS JOIN (VALUES ('', false), (' (all stores)', true)) AS part(label, all_stores)
LEFT JOIN hourly h ON h.sale_date = d.sale_date AND h.all_stores = part.all_stores
LEFT JOIN products p ON p.sale_date = d.sale_date AND p.all_stores = part.all_stores
LEFT JOIN receipts r ON r.sale_date = d.sale_date AND r.all_stores = part.all_stores
LEFT JOIN monthly m ON m.sale_date = d.sale_date AND m.all_stores = part.all_stores
LEFT JOIN weekly w ON w.sale_date = d.sale_date AND w.all_stores = part.all_stores
CROSS JOIN LATERAL (VALUES
    ('agg_sales_hourly', (f.lines, f.units, f.revenue, f.gross, f.returns, f.discount)
        IS DISTINCT FROM (h.lines, h.units, h.revenue, h.gross, h.returns, h.discount)),
    ('agg_product_daily', (f.units, f.revenue) IS DISTINCT FROM (p.units, p.revenue)),
    ('agg_receipts_daily', (f.receipts, f.refunds) IS DISTINCT FROM (r.receipts, r.refunds)),
    ('agg_month_sales', date_trunc('month', d.sale_date)::date IN (SELECT month FROM current_months)
        AND (f.lines, f.units, f.revenue, f.gross, f.returns, f.discount)
            IS DISTINCT FROM (m.lines, m.units, m.revenue, m.gross, m.returns, m.discount)),
    ('agg_week_sales', date_trunc('week', d.sale_date)::date IN (SELECT week FROM current_weeks)
        AND (f.lines, f.units, f.revenue, f.gross, f.returns, f.discount)
            IS DISTINCT FROM (w.lines, w.units, w.revenue, w.gross, w.returns, w.discount)),
    ('agg_mix_daily', (d.sale_date, part.all_stores) IN (SELECT sale_date, all_stores FROM mix_days))
) AS x(rollup, differs)
WHERE x.differs
UNION
SELECT sale_date, rollup FROM period_failures
UNION
SELECT sale_date, rollup FROM total_failures
UNION
SELECT sale_date, rollup FROM first_purchase_failures
ORDER BY 1, 2
