import type { DataSource } from 'typeorm';

export interface StripeObjectView {
  id: string;
  object: string;
  account: string | null;
  data: unknown;
  deleted: boolean;
  lastEventId: string;
  lastEventCreated: string;
  eventsSeen: number;
}

export async function findStripeObject(dataSource: DataSource, id: string): Promise<StripeObjectView | null> {
  const rows: {
    id: string;
    object_type: string;
    account: string | null;
    data: unknown;
    deleted: boolean;
    last_event_id: string;
    last_event_created: string;
    events_seen: number;
  }[] = await dataSource.query(`SELECT * FROM stripe_objects WHERE id = $1`, [id]);
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    object: row.object_type,
    account: row.account,
    data: row.data,
    deleted: row.deleted,
    lastEventId: row.last_event_id,
    lastEventCreated: new Date(Number(row.last_event_created) * 1000).toISOString(),
    eventsSeen: row.events_seen,
  };
}
