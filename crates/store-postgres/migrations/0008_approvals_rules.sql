CREATE FUNCTION shebao_approval_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.status <> 'pending'
        OR NEW.id IS DISTINCT FROM OLD.id OR NEW.operation IS DISTINCT FROM OLD.operation
        OR NEW.reason IS DISTINCT FROM OLD.reason
        OR NEW.maker_user_id IS DISTINCT FROM OLD.maker_user_id OR NEW.maker IS DISTINCT FROM OLD.maker
        OR NEW.maker_role IS DISTINCT FROM OLD.maker_role
        OR NEW.organisation IS DISTINCT FROM OLD.organisation
        OR NEW.region_code IS DISTINCT FROM OLD.region_code OR NEW.card_id IS DISTINCT FROM OLD.card_id
        OR NEW.transfer_id IS DISTINCT FROM OLD.transfer_id
        OR NEW.amount_fen IS DISTINCT FROM OLD.amount_fen OR NEW.body IS DISTINCT FROM OLD.body
        OR NEW.created_at IS DISTINCT FROM OLD.created_at
        OR NEW.expires_at IS DISTINCT FROM OLD.expires_at THEN
        RAISE EXCEPTION 'final: approval_requests' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER approval_requests_final BEFORE UPDATE OR DELETE ON approval_requests
FOR EACH ROW EXECUTE FUNCTION shebao_approval_final();
