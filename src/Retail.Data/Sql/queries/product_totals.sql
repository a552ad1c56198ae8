    -- Units and revenue per product over one period in the selected stores and categories: the month, week and
    -- fine rollups the plan chose. One definition for the top-products table and the product list.
    SELECT product_key, sum(units)::bigint AS units, sum(revenue_pence)::bigint AS revenue
    FROM (
        SELECT product_key, units, revenue_pence FROM marts.agg_month_products
        WHERE /*coarse*/ AND /*stores_or_all*/ AND /*categories*/
        UNION ALL
        SELECT product_key, units, revenue_pence FROM marts.agg_week_products
        WHERE /*weeks*/ AND /*stores_or_all*/ AND /*categories*/
        UNION ALL
        SELECT product_key, units, revenue_pence FROM marts.agg_product_daily
        WHERE /*fine*/ AND /*stores_or_all*/ AND /*categories*/ AND /*published*/
    ) x
    GROUP BY product_key
