SET body = (body::jsonb || '{"manual_credit_approval_above_fen": 5000000, "manual_credit_daily_max_fen": 20000000, "approval_request_valid_hours": 72}'::jsonb)::text
WHERE (body::jsonb -> 'manual_credit_approval_above_fen') IS NULL;
