-- The dashboard's own LOGIN role (its name comes in the setting retail.dashboard_role): SELECT on the marts it
-- shows and on the three ops tables behind freshness and the publish gate, nothing else. Not ops.rejected_rows
-- (raw lines hold customer names), no write of any kind, so no statement the dashboard sends can change data,
-- whatever session state it resets. A LOGIN role because Citus opens the workers' connections as this role.
-- Not a numbered migration: every schema step that names the role re-runs it. It grants only what is missing,
-- so a re-run costs no DDL (on Citus each GRANT on a distributed table is a cluster-wide transaction).
DO $$
DECLARE
    r      text := current_setting('retail.dashboard_role');
    t      text;
    shown  text[] := ARRAY['ops.load_batches', 'ops.pipeline_runs', 'ops.check_results', 'ops.published_batches'];
    hidden text[] := ARRAY['ops.rejected_rows', 'ops.pipeline_steps', 'ops.schema_migrations'];
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
        EXECUTE format('CREATE ROLE %I LOGIN', r);
    ELSIF EXISTS (SELECT 1 FROM pg_roles
                  WHERE rolname = r AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls)) THEN
        RAISE EXCEPTION 'role "%" can do more than read (superuser, CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS): %', r,
            'give the dashboard a role of its own with DASHBOARD_DB_USER';
    ELSIF NOT (SELECT rolcanlogin FROM pg_roles WHERE rolname = r) THEN
        -- Earlier versions made it NOLOGIN and switched to it with SET ROLE, which a pooled reset undoes.
        EXECUTE format('ALTER ROLE %I LOGIN', r);
    END IF;

    IF NOT has_schema_privilege(r, 'marts', 'USAGE') OR NOT has_schema_privilege(r, 'ops', 'USAGE') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA marts, ops TO %I', r);
    END IF;
    IF has_schema_privilege(r, 'marts', 'CREATE') OR has_schema_privilege(r, 'ops', 'CREATE') THEN
        EXECUTE format('REVOKE CREATE ON SCHEMA marts, ops FROM %I', r);
    END IF;

    FOR t IN SELECT format('%I.%I', n.nspname, c.relname)
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname IN ('marts', 'ops') AND c.relkind IN ('r', 'p', 'v', 'm')
    LOOP
        IF has_table_privilege(r, t, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER') THEN
            EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON %s FROM %I', t, r);
        END IF;
        IF (t LIKE 'marts.%' OR t = ANY (shown)) AND NOT has_table_privilege(r, t, 'SELECT') THEN
            EXECUTE format('GRANT SELECT ON %s TO %I', t, r);
        ELSIF t LIKE 'ops.%' AND NOT t = ANY (shown) AND has_table_privilege(r, t, 'SELECT') THEN
            EXECUTE format('REVOKE SELECT ON %s FROM %I', t, r);
        END IF;
    END LOOP;

    -- Monthly fact partitions are created later by the loader (as the current user): readable too.
    IF NOT EXISTS (SELECT 1 FROM pg_default_acl d, aclexplode(d.defaclacl) a
                   WHERE d.defaclnamespace = 'marts'::regnamespace AND d.defaclrole = current_user::regrole
                     AND d.defaclobjtype = 'r' AND a.grantee = r::regrole AND a.privilege_type = 'SELECT') THEN
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA marts GRANT SELECT ON TABLES TO %I', r);
    END IF;
END
$$;
