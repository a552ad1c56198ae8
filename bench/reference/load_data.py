"""The reference project's loader, kept faithful for benchmarking: CREATE TABLE IF NOT EXISTS, then psycopg2
copy_expert of the CSV, rollback on error. Loads our staging CSV into one flat table with a primary key.

    /usr/bin/python3 load_data.py DSN FILE.csv
"""
import sys

import psycopg2

DDL = """
CREATE TABLE IF NOT EXISTS public.reference_sales (
    transaction_id bigint, line_no int, sold_at timestamptz, store_code text, store_name text, store_town text,
    sku text, product_name text, category text, subcategory text, brand text, quantity int,
    unit_price numeric(12,2), discount numeric(12,2), line_total numeric(12,2), payment_method text,
    channel text, customer_id text, customer_name text, return_of bigint,
    PRIMARY KEY (transaction_id, line_no))
"""


def main(dsn, path):
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(DDL)
            with open(path, "r", encoding="utf-8") as f:
                cur.copy_expert("COPY public.reference_sales FROM STDIN WITH (FORMAT csv, HEADER true)", f)
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    finally:
        conn.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
