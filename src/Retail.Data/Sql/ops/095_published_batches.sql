-- What "a batch counts as data" means, written once. Loaded: committed facts. Published: loaded and let through the
-- pipeline's publish gate (a day's checks passed). Checks, status, reconciliation and the dashboard read these views.
CREATE OR REPLACE VIEW ops.loaded_batches AS
    SELECT * FROM ops.load_batches WHERE status = 'loaded';

CREATE OR REPLACE VIEW ops.published_batches AS
    SELECT * FROM ops.loaded_batches WHERE published;
