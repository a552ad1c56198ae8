-- Days of [$1, $2] to mark on a daily chart: UK bank holidays, and Black Friday (the Friday after the fourth Thursday of
-- November, so always the 23rd to the 29th). A bank holiday that is also Black Friday cannot happen (none in November).
SELECT date_key, CASE WHEN is_uk_bank_holiday THEN 'Bank holiday' ELSE 'Black Friday' END
FROM marts.dim_date
WHERE date_key BETWEEN $1 AND $2
  AND (is_uk_bank_holiday OR (month = 11 AND iso_day_of_week = 5 AND day_of_month BETWEEN 23 AND 29))
ORDER BY date_key
