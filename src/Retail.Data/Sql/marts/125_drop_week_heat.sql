-- The week heat rollup saved no reading (issue #10): a week of weekday-hour cells has one cell per day and hour, as
-- many rows as the week's fine hourly rows (402,245 each at 1M lines), yet its rebuild was the dearest statement of a
-- week's (77 of 250 ms at 1M lines, a year: 53 weeks). The heatmap reads whole weeks from the fine rows
-- (DateRangePlan.WithoutWeeks); months keep their heat rollup (a third of the rows).
DROP TABLE IF EXISTS marts.agg_week_heat;
