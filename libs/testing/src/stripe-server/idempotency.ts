import { canonicalJson } from '@ledgerline/events';
import type { FormParams } from './form-body';
import { stripeError, type StripeReply } from './stripe-objects';

interface Entry {
  endpoint: string;
  params: string;
  requestId: string;
  reply: StripeReply | null;
}

export type IdempotencyDecision =
  { kind: 'execute'; commit: (reply: StripeReply) => void } | { kind: 'answer'; reply: StripeReply };

/**
 * Stripe's idempotency keys, scoped per Stripe-Account: a key replays its first result for the same
 * endpoint and parameters and refuses to be reused for anything else.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  begin(
    account: string | null,
    key: string,
    method: string,
    path: string,
    params: FormParams,
    requestId: string,
  ): IdempotencyDecision {
    const scopedKey = `${account ?? ''}\u0000${key}`;
    const endpoint = `${method} ${path}`;
    const canonical = canonicalJson(params);
    const entry = this.entries.get(scopedKey);
    if (!entry) {
      const fresh: Entry = { endpoint, params: canonical, requestId, reply: null };
      this.entries.set(scopedKey, fresh);
      return { kind: 'execute', commit: (reply) => this.commit(scopedKey, fresh, reply) };
    }
    if (entry.endpoint !== endpoint) {
      return answer(
        400,
        `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${entry.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    if (entry.params !== canonical) {
      return answer(
        400,
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    if (!entry.reply) {
      // Stripe answers 409 while the first request is still running; the SDK retries 409s.
      return answer(
        409,
        'There is currently another in-progress request using this Stripe-Idempotency-Key (that probably means you submitted twice, and that is fine). Please try again later.',
      );
    }
    return {
      kind: 'answer',
      reply: {
        ...entry.reply,
        headers: { ...entry.reply.headers, 'idempotent-replayed': 'true', 'original-request': entry.requestId },
      },
    };
  }

  private commit(scopedKey: string, entry: Entry, reply: StripeReply): void {
    // Like Stripe, a rate-limited or conflicting attempt leaves the key free for a retry.
    if (reply.status === 401 || reply.status === 409 || reply.status === 429) this.entries.delete(scopedKey);
    // A copy: the objects behind a reply keep changing, a replay must not.
    else entry.reply = structuredClone(reply);
  }
}

function answer(status: number, message: string): IdempotencyDecision {
  return { kind: 'answer', reply: stripeError(status, { type: 'idempotency_error', message }) };
}
