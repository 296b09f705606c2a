CREATE TRIGGER approval_requests_final BEFORE UPDATE ON approval_requests
WHEN OLD.status <> 'pending'
  OR NEW.id IS NOT OLD.id OR NEW.operation IS NOT OLD.operation OR NEW.reason IS NOT OLD.reason
  OR NEW.maker_user_id IS NOT OLD.maker_user_id OR NEW.maker IS NOT OLD.maker
  OR NEW.maker_role IS NOT OLD.maker_role OR NEW.organisation IS NOT OLD.organisation
  OR NEW.region_code IS NOT OLD.region_code OR NEW.card_id IS NOT OLD.card_id
  OR NEW.transfer_id IS NOT OLD.transfer_id OR NEW.amount_fen IS NOT OLD.amount_fen
  OR NEW.body IS NOT OLD.body OR NEW.created_at IS NOT OLD.created_at
  OR NEW.expires_at IS NOT OLD.expires_at
BEGIN SELECT RAISE(ABORT, 'final: approval_requests'); END;
CREATE TRIGGER approval_requests_kept BEFORE DELETE ON approval_requests
BEGIN SELECT RAISE(ABORT, 'append-only: approval_requests'); END;
