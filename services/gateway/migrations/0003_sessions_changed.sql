-- Every gateway answers the sessions it has seen from memory (ADR 0013) and must hear of any change to one:
-- a logout, a rotation, a new time zone, an expiry or an operator's UPDATE or DELETE. This trigger announces
-- each changed or deleted row on 'sessions_changed' (delivered when its transaction commits). Recording activity
-- (last_seen_at moved forward, nothing else changed) is not announced: it happens once a minute per session.
CREATE FUNCTION sessions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('sessions_changed', OLD.id);
    RETURN NULL;
END;
$$;

CREATE TRIGGER sessions_deleted AFTER DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION sessions_changed();

CREATE TRIGGER sessions_updated AFTER UPDATE ON sessions
    FOR EACH ROW
    WHEN ((OLD.id, OLD.user_id, OLD.role, OLD.time_zone, OLD.csrf_token, OLD.remember, OLD.created_at,
           OLD.expires_at) IS DISTINCT FROM
          (NEW.id, NEW.user_id, NEW.role, NEW.time_zone, NEW.csrf_token, NEW.remember, NEW.created_at,
           NEW.expires_at)
          OR NEW.last_seen_at < OLD.last_seen_at)
    EXECUTE FUNCTION sessions_changed();
