import { APPEND_CHANNEL } from './append-notifier';

/**
 * The two server-side halves of an append transaction (group-commit.ts runs them):
 *
 * 1. event_store.lock_streams: takes every stream's advisory lock in hash order, then returns the
 *    state the batch is decided against (which of its ids are stored, each stream's revision).
 *    Locking in one order means two batches never deadlock.
 * 2. event_store.insert_events: takes the position lock (held to commit, so positions become
 *    visible in commit order: docs/decisions/0001), reads the head, inserts the accepted events at
 *    head + 1, head + 2, ..., moves the streams' revisions, and notifies subscribers. It returns
 *    the head it started from. Payloads come as binary `json[]` and `jsonb[]` parameters
 *    (binary-array.ts), so each is parsed once, as it is converted.
 *
 * Both are VOLATILE plpgsql, so each statement inside sees commits made before its locks.
 */
export const APPEND_FUNCTIONS_SQL = `
CREATE OR REPLACE FUNCTION event_store.lock_streams(p_streams text[], p_ids uuid[])
RETURNS TABLE (out_kind text, out_event_id uuid, out_stream text, out_revision bigint, out_position bigint)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_key bigint;
BEGIN
  FOR v_key IN SELECT DISTINCT hashtextextended(s, 0) FROM unnest(p_streams) AS s ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(v_key);
  END LOOP;
  RETURN QUERY
    SELECT 'event', e.event_id, e.stream_name, e.stream_revision, e.position
      FROM event_store.events e WHERE e.event_id = ANY (p_ids);
  RETURN QUERY
    SELECT 'stream', NULL::uuid, s.stream_name, s.revision, NULL::bigint
      FROM event_store.streams s WHERE s.stream_name = ANY (p_streams);
END;
$fn$;

CREATE OR REPLACE FUNCTION event_store.insert_events(
  p_ids uuid[], p_streams text[], p_revisions bigint[], p_categories text[], p_types text[],
  p_data json[], p_metadata jsonb[],
  p_head_streams text[], p_head_categories text[], p_head_revisions bigint[]
) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_head bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(19532, 1);
  SELECT coalesce(max(position), 0) INTO v_head FROM event_store.events;

  INSERT INTO event_store.events
    (position, event_id, stream_name, stream_revision, category, type, data, metadata, recorded_at)
  SELECT v_head + x.ord, x.id, x.stream, x.revision, x.category, x.type, x.data, x.metadata, clock_timestamp()
    FROM unnest(p_ids, p_streams, p_revisions, p_categories, p_types, p_data, p_metadata)
           WITH ORDINALITY AS x(id, stream, revision, category, type, data, metadata, ord);

  INSERT INTO event_store.streams AS s (stream_name, category, revision)
  SELECT * FROM unnest(p_head_streams, p_head_categories, p_head_revisions)
  ON CONFLICT (stream_name) DO UPDATE SET revision = EXCLUDED.revision, updated_at = now();

  PERFORM pg_notify('${APPEND_CHANNEL}', (v_head + cardinality(p_ids))::text);
  RETURN v_head;
END;
$fn$;
`;
