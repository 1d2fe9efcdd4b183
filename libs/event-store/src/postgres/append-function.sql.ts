import { APPEND_CHANNEL } from './append-notifier';

/**
 * The whole append as one server-side function: one round trip instead of nine, which matters
 * because appends serialise on the global lock from position assignment to commit.
 *
 * Errors carry our own SQLSTATEs so the adapter can raise typed errors:
 *   LL409 wrong expected revision (DETAIL: the actual revision, or "none");
 *   LL410 idempotency conflict (some ids stored, or stored in another stream).
 */
export const APPEND_FUNCTION_SQL = `
CREATE OR REPLACE FUNCTION event_store.append_events(
  p_stream text, p_category text, p_expected text,
  p_ids uuid[], p_types text[], p_data json[], p_metadata jsonb[]
) RETURNS TABLE (out_event_id uuid, out_revision bigint, out_position bigint, out_duplicate boolean)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count integer := cardinality(p_ids);
  v_stored integer;
  v_foreign text;
  v_revision bigint;
  v_first bigint;
  v_head bigint;
BEGIN
  -- Serialises appends to this stream, including the creation of a stream that does not exist yet.
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream, 0));

  SELECT count(*), min(e.stream_name) FILTER (WHERE e.stream_name <> p_stream)
    INTO v_stored, v_foreign
    FROM event_store.events e WHERE e.event_id = ANY (p_ids);
  IF v_stored > 0 THEN
    IF v_foreign IS NOT NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'LL410',
        MESSAGE = format('an event of this append is already stored in stream "%s"', v_foreign);
    END IF;
    IF v_stored < v_count THEN
      RAISE EXCEPTION USING ERRCODE = 'LL410',
        MESSAGE = format('%s of the %s events are already stored; an append is all or nothing', v_stored, v_count);
    END IF;
    RETURN QUERY
      SELECT e.event_id, e.stream_revision, e.position, true
        FROM unnest(p_ids) WITH ORDINALITY AS i(id, ord)
        JOIN event_store.events e ON e.event_id = i.id
       ORDER BY i.ord;
    RETURN;
  END IF;

  SELECT s.revision INTO v_revision FROM event_store.streams s WHERE s.stream_name = p_stream;
  IF NOT (p_expected = 'any'
          OR (p_expected = 'no_stream' AND v_revision IS NULL)
          OR (p_expected = 'stream_exists' AND v_revision IS NOT NULL)
          OR (p_expected ~ '^[0-9]+$' AND v_revision = p_expected::bigint)) THEN
    RAISE EXCEPTION USING ERRCODE = 'LL409', MESSAGE = 'wrong expected revision',
      DETAIL = coalesce(v_revision::text, 'none');
  END IF;
  v_first := coalesce(v_revision + 1, 0);

  -- Held until commit: positions are handed out in commit order (docs/decisions/0001).
  PERFORM pg_advisory_xact_lock(19532, 1);
  SELECT coalesce(max(e.position), 0) INTO v_head FROM event_store.events e;

  RETURN QUERY
    INSERT INTO event_store.events AS e
      (position, event_id, stream_name, stream_revision, category, type, data, metadata, recorded_at)
    SELECT v_head + i.ord, i.id, p_stream, v_first + i.ord - 1, p_category, i.type, i.data, i.metadata,
           clock_timestamp()
      FROM unnest(p_ids, p_types, p_data, p_metadata) WITH ORDINALITY AS i(id, type, data, metadata, ord)
    RETURNING e.event_id, e.stream_revision, e.position, false;

  INSERT INTO event_store.streams AS s (stream_name, category, revision)
  VALUES (p_stream, p_category, v_first + v_count - 1)
  ON CONFLICT (stream_name) DO UPDATE SET revision = EXCLUDED.revision, updated_at = now();

  PERFORM pg_notify('${APPEND_CHANNEL}', (v_head + v_count)::text);
END;
$fn$;
`;
