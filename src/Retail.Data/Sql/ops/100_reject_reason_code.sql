-- Reject reasons as a code (Retail.Data.Loading.RejectReason, snake_case) beside the human message, so quarantine can
-- be grouped and counted by cause. Rows quarantined before this migration keep a NULL code.
ALTER TABLE ops.rejected_rows ADD COLUMN IF NOT EXISTS reason_code text;
