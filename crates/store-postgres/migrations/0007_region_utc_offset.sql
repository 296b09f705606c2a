-- Issue 13: every "today" is the region's day, not UTC's. Region parameters carry the
-- region's offset from UTC in minutes; the versions stored before it was a parameter were
-- written for China, UTC+8 all year, so they take +480.
UPDATE region_parameters
SET body = (body::jsonb || '{"utc_offset_minutes": 480}'::jsonb)::text
WHERE body::jsonb -> 'utc_offset_minutes' IS NULL;
