-- The admin API (issue 5): history rows name who made the change (the transaction's chance.actor setting,
-- empty for the demo seed) and every editable column counts as a change, featured and slug included.
CREATE OR REPLACE FUNCTION premieres_history() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE actor text := coalesce(current_setting('chance.actor', true), '');
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO premiere_events (premiere_id, type, payload)
        VALUES (NEW.id, 'created', jsonb_build_object('title', NEW.title, 'price_online', NEW.price_online,
                'price_theatre', NEW.price_theatre, 'discount_percent', NEW.discount_percent, 'actor', actor));
    ELSIF (OLD.slug, OLD.title, OLD.theatre, OLD.director, OLD.genre, OLD.age_rating, OLD.duration_minutes,
           OLD.description_short, OLD.description_full, OLD.price_theatre, OLD.price_online, OLD.discount_percent,
           OLD.discount_until, OLD.hidden, OLD.featured, OLD.reservable_from, OLD.reservable_until,
           OLD.base_period_hours, OLD.capacity, OLD.live_at)
          IS DISTINCT FROM
          (NEW.slug, NEW.title, NEW.theatre, NEW.director, NEW.genre, NEW.age_rating, NEW.duration_minutes,
           NEW.description_short, NEW.description_full, NEW.price_theatre, NEW.price_online, NEW.discount_percent,
           NEW.discount_until, NEW.hidden, NEW.featured, NEW.reservable_from, NEW.reservable_until,
           NEW.base_period_hours, NEW.capacity, NEW.live_at) THEN
        INSERT INTO premiere_events (premiere_id, type, payload)
        VALUES (NEW.id, CASE WHEN (OLD.price_online, OLD.price_theatre, OLD.discount_percent, OLD.discount_until)
                                  IS DISTINCT FROM
                                  (NEW.price_online, NEW.price_theatre, NEW.discount_percent, NEW.discount_until)
                             THEN 'price_changed'
                             WHEN OLD.hidden IS DISTINCT FROM NEW.hidden
                             THEN CASE WHEN NEW.hidden THEN 'hidden' ELSE 'shown' END
                             ELSE 'updated' END,
                jsonb_build_object('old', to_jsonb(OLD) - 'search_document' - 'cast_names',
                                   'new', to_jsonb(NEW) - 'search_document' - 'cast_names',
                                   'actor', actor));
    END IF;
    RETURN NULL;
END $$;
