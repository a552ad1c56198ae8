-- Conformed dimensions. Natural keys are unique; surrogate keys are what facts carry.
CREATE TABLE IF NOT EXISTS marts.dim_store (
    store_key  smallint PRIMARY KEY,
    store_code text NOT NULL UNIQUE,
    store_name text NOT NULL,
    town       text NOT NULL,
    postcode   text NOT NULL,
    format     text NOT NULL,
    opened_on  date NOT NULL
);

CREATE TABLE IF NOT EXISTS marts.dim_category (
    category_key  smallint PRIMARY KEY,
    category_name text NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS marts.dim_product (
    product_key  integer PRIMARY KEY,
    sku          text NOT NULL UNIQUE,
    product_name text NOT NULL,
    category_key smallint NOT NULL REFERENCES marts.dim_category,
    subcategory  text NOT NULL,
    brand        text NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS marts.dim_product_key_seq;

-- customer_key 0 is the anonymous customer (receipts without a loyalty card).
CREATE TABLE IF NOT EXISTS marts.dim_customer (
    customer_key  integer PRIMARY KEY,
    customer_id   text NOT NULL UNIQUE,
    customer_name text NOT NULL,
    is_anonymous  boolean NOT NULL DEFAULT false
);
CREATE SEQUENCE IF NOT EXISTS marts.dim_customer_key_seq;
INSERT INTO marts.dim_customer (customer_key, customer_id, customer_name, is_anonymous)
VALUES (0, '', 'Anonymous', true)
ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS marts.dim_payment_method (
    payment_key    smallint PRIMARY KEY,
    payment_method text NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS marts.dim_channel (
    channel_key smallint PRIMARY KEY,
    channel     text NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS marts.dim_date (
    date_key           date PRIMARY KEY,
    year               smallint NOT NULL,
    quarter            smallint NOT NULL,
    month              smallint NOT NULL,
    month_name         text NOT NULL,
    day_of_month       smallint NOT NULL,
    iso_day_of_week    smallint NOT NULL,
    day_name           text NOT NULL,
    iso_week           smallint NOT NULL,
    iso_year           smallint NOT NULL,
    is_weekend         boolean NOT NULL,
    is_uk_bank_holiday boolean NOT NULL,
    same_day_last_year date NOT NULL
);
