import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { returnedRows } from '@ledgerline/database';

export interface StoredAnswer {
  statusCode: number;
  body: unknown;
}

export type Claim =
  { kind: 'claimed' } | { kind: 'replay'; answer: StoredAnswer } | { kind: 'mismatch' } | { kind: 'in_progress' };

/** How long a repeat waits for the first request with its key to finish before answering 409. */
const WAIT_FOR_FIRST_MS = 10_000;
const POLL_MS = 50;

/**
 * Idempotency-Key bookkeeping, per API key (actor) as Stripe scopes keys per account. The first
 * request claims the key; a repeat with the same method, path and body gets the first answer; a
 * repeat with another request is refused, since it cannot be the same command.
 */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly dataSource: DataSource) {}

  async claim(actor: string, key: string, fingerprint: string): Promise<Claim> {
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const inserted = returnedRows(
        await this.dataSource.query(
          `INSERT INTO command_requests (actor, idempotency_key, fingerprint, state)
           VALUES ($1, $2, $3, 'running') ON CONFLICT DO NOTHING RETURNING 1`,
          [actor, key, fingerprint],
        ),
      );
      if (inserted.length) return { kind: 'claimed' };
      const rows: { fingerprint: string; state: string; status_code: number | null; body: unknown }[] =
        await this.dataSource.query(
          `SELECT fingerprint, state, status_code, body FROM command_requests WHERE actor = $1 AND idempotency_key = $2`,
          [actor, key],
        );
      const row = rows[0];
      // Released between our insert and select: claim again.
      if (!row) continue;
      if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (row.state === 'done') return { kind: 'replay', answer: { statusCode: row.status_code!, body: row.body } };
      if (Date.now() >= deadline) return { kind: 'in_progress' };
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async complete(actor: string, key: string, answer: StoredAnswer): Promise<void> {
    await this.dataSource.query(
      `UPDATE command_requests SET state = 'done', status_code = $3, body = $4::jsonb, completed_at = now()
        WHERE actor = $1 AND idempotency_key = $2`,
      [actor, key, answer.statusCode, JSON.stringify(answer.body ?? null)],
    );
  }

  /** Forgets a claim whose command failed for a passing reason, so a retry runs it again. */
  async release(actor: string, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM command_requests WHERE actor = $1 AND idempotency_key = $2 AND state = 'running'`,
      [actor, key],
    );
  }
}
