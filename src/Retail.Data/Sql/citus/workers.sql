-- Nodes that hold shards (the workers; the coordinator too when it was told to) and the per-database connection cache.
SELECT (SELECT count(*) FROM pg_dist_node WHERE isactive AND noderole = 'primary' AND shouldhaveshards)::int,
       (SELECT count(*) FROM pg_dist_node WHERE isactive AND noderole = 'primary' AND groupid <> 0)::int,
       EXISTS (SELECT 1 FROM pg_db_role_setting s, unnest(s.setconfig) c
               WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()) AND s.setrole = 0
                 AND c LIKE 'citus.max_cached_conns_per_worker=%'),
       split_part(citus_version(), ' ', 2);
