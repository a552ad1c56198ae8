-- A file is identified by its name and its content: the same bytes under the same name load once, and two closed
-- days (identical header-only files under different names) are two batches. A file that could not even be read is
-- recorded as a failed batch without a hash.
ALTER TABLE ops.load_batches ALTER COLUMN file_sha256 DROP NOT NULL;
DROP INDEX IF EXISTS ops.load_batches_loaded_once;
CREATE UNIQUE INDEX IF NOT EXISTS load_batches_loaded_once_per_file ON ops.load_batches (file_name, file_sha256) WHERE status = 'loaded';
