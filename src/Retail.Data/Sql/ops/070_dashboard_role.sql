-- The dashboard connects as this read-only role, so a bug in it cannot change data.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'retail_dashboard') THEN
        CREATE ROLE retail_dashboard NOLOGIN;
    END IF;
    -- The dashboard logs in as DB_USER and switches to this role (SET ROLE needs membership).
    IF NOT pg_has_role(current_user, 'retail_dashboard', 'MEMBER') THEN
        EXECUTE format('GRANT retail_dashboard TO %I', current_user);
    END IF;
END
$$;
GRANT USAGE ON SCHEMA marts, ops TO retail_dashboard;
GRANT SELECT ON ALL TABLES IN SCHEMA marts, ops TO retail_dashboard;
ALTER DEFAULT PRIVILEGES IN SCHEMA marts GRANT SELECT ON TABLES TO retail_dashboard;
