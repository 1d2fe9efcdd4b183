import type { EventFilter, RecordedEvent } from '@ledgerline/event-store';
import { filterOf, type LedgerlineEventType } from '@ledgerline/events';
import type { Projector, ProjectionTransaction } from '@ledgerline/projections';
import { num, obj, str } from '../shared/stripe-values';
import {
  actorOf,
  commandEventIdOf,
  isSyncedCommand,
  isSyncOutcome,
  occurredAtOf,
  stripeIdsOfOutcome,
  uuidOrNull,
} from './platform-events';

export type StripeSyncStatus = 'pending' | 'synced' | 'failed';

/** What a command event says: a pending row, or the command's facts for a row an outcome created. */
interface CommandRow {
  command_event_id: string;
  stream: string;
  command_event_type: string;
  customer_id: string | null;
  actor: string | null;
  occurred_at: string;
  event_position: string;
  /** A refund request's payment, amount and currency (pending refunds); null for other commands. */
  payment_id: string | null;
  amount: number | null;
  currency: string | null;
}

/** What an outcome event says (or several outcomes of one command in a batch, folded). */
interface OutcomeRow {
  command_event_id: string;
  stream: string | null;
  command_event_type: string | null;
  customer_id: string | null;
  status: StripeSyncStatus;
  stripe_ids: Record<string, string> | null;
  reason: string | null;
  attempts: number;
  outcome_event_id: string;
  outcome_at: string;
  outcome_position: string;
}

const COMMAND_COLUMNS = `command_event_id uuid, stream text, command_event_type text, customer_id uuid, actor text,
  occurred_at timestamptz, event_position bigint, payment_id text, amount bigint, currency text`;
const OUTCOME_COLUMNS = `command_event_id uuid, stream text, command_event_type text, customer_id uuid, status text,
  stripe_ids jsonb, reason text, attempts integer, outcome_event_id uuid, outcome_at timestamptz, outcome_position bigint`;
const namesOf = (columns: string) =>
  columns
    .split(',')
    .map((column) => column.trim().split(/\s+/)[0])
    .join(', ');

/** Outcome columns an outcome sets only when it is the latest one (by store position) of its command. */
const LATEST_WINS = ['status', 'stripe_ids', 'reason', 'outcome_event_id', 'outcome_at', 'outcome_position'];

/**
 * Where each platform command stands with Stripe (docs/stripe-sync.md): one row per command event
 * the process manager carries out, pending until its outcome event says synced or failed.
 *
 * Every row is the same whatever order its events arrive in: a command fills the command's columns
 * (and a new row starts pending); an outcome fills the outcome's columns when it is later in the
 * store than the outcome the row has (a retry that succeeded after a failure wins), keeps the
 * highest attempts count of any failure, and fills command columns the command has not (yet) given.
 */
export class StripeSyncProjector implements Projector {
  readonly name = 'stripe_sync';
  /** 2: refund requests keep their payment, amount and currency (issue 28). */
  readonly version = 2;
  readonly tables = ['stripe_sync'];
  /** Order-free merge (command columns from their one event, outcomes latest-by-position, max attempts). */
  readonly replaySafe = true;
  /** The commands the process manager carries out (SYNCED_COMMAND_EVENT_TYPES), and their outcomes. */
  readonly handles = [
    'CustomerRegistered',
    'CustomerDetailsChanged',
    'CustomerDeleted',
    'SubscriptionStarted',
    'SubscriptionAddressChanged',
    'SubscriptionShipmentsRemainingChanged',
    'SubscriptionCancellationRequested',
    'SubscriptionPlanChanged',
    'SubscriptionRenewalPrepaid',
    'RefundRequested',
    'CustomerLinkedToStripe',
    'SubscriptionLinkedToStripe',
    'RefundLinkedToStripe',
    'RenewalChargeLinkedToStripe',
    'StripeSyncCompleted',
    'StripeSyncFailed',
  ] as const satisfies readonly LedgerlineEventType[];
  readonly filter: EventFilter = filterOf(this.handles);

  async apply(event: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
    await this.applyBatch([event], tx);
  }

  /**
   * Two statements per batch at most: the commands, then the outcomes folded per command (one
   * INSERT ... ON CONFLICT may touch a row only once). The merge rules are order-free, so this is
   * the effect of applying the events one by one.
   */
  async applyBatch(events: RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
    const commands = new Map<string, CommandRow>();
    const outcomes = new Map<string, OutcomeRow>();
    for (const event of events) {
      const command = commandOf(event);
      if (command) {
        // A redelivered command event is the same event: the first copy is as good as any.
        if (!commands.has(command.command_event_id)) commands.set(command.command_event_id, command);
        continue;
      }
      const outcome = outcomeOf(event);
      if (outcome) {
        const held = outcomes.get(outcome.command_event_id);
        outcomes.set(outcome.command_event_id, held ? fold(held, outcome) : outcome);
      }
    }
    const table = tx.table('stripe_sync');
    if (commands.size) {
      const names = namesOf(COMMAND_COLUMNS);
      await tx.query(
        `INSERT INTO ${table} AS t (${names}, status, attempts)
         SELECT ${names}, 'pending', 0 FROM json_to_recordset($1::json) AS x(${COMMAND_COLUMNS})
         ON CONFLICT (command_event_id) DO UPDATE SET
           stream = EXCLUDED.stream,
           command_event_type = EXCLUDED.command_event_type,
           customer_id = COALESCE(EXCLUDED.customer_id, t.customer_id),
           actor = EXCLUDED.actor,
           occurred_at = EXCLUDED.occurred_at,
           event_position = EXCLUDED.event_position,
           payment_id = EXCLUDED.payment_id,
           amount = EXCLUDED.amount,
           currency = EXCLUDED.currency`,
        [JSON.stringify([...commands.values()])],
      );
    }
    if (outcomes.size) {
      const names = namesOf(OUTCOME_COLUMNS);
      const newer = `(t.outcome_position IS NULL OR EXCLUDED.outcome_position > t.outcome_position)`;
      await tx.query(
        `INSERT INTO ${table} AS t (${names})
         SELECT ${names} FROM json_to_recordset($1::json) AS x(${OUTCOME_COLUMNS})
         ON CONFLICT (command_event_id) DO UPDATE SET
           stream = COALESCE(t.stream, EXCLUDED.stream),
           command_event_type = COALESCE(t.command_event_type, EXCLUDED.command_event_type),
           customer_id = COALESCE(t.customer_id, EXCLUDED.customer_id),
           attempts = GREATEST(t.attempts, EXCLUDED.attempts),
           ${LATEST_WINS.map((c) => `${c} = CASE WHEN ${newer} THEN EXCLUDED.${c} ELSE t.${c} END`).join(',\n           ')}`,
        [JSON.stringify([...outcomes.values()])],
      );
    }
  }
}

function commandOf(event: RecordedEvent): CommandRow | null {
  if (!isSyncedCommand(event.type)) return null;
  return {
    command_event_id: event.id.toLowerCase(),
    stream: event.stream,
    command_event_type: event.type,
    customer_id: uuidOrNull(obj(event.data)?.customerId),
    actor: actorOf(event),
    occurred_at: occurredAtOf(event),
    event_position: event.position.toString(),
    ...refundOf(event),
  };
}

/** What a refund request asks for (RefundRequested), so its payment can show it while it is pending. */
function refundOf(event: RecordedEvent): Pick<CommandRow, 'payment_id' | 'amount' | 'currency'> {
  const data = obj(event.data) ?? {};
  if (event.type !== 'RefundRequested') return { payment_id: null, amount: null, currency: null };
  return { payment_id: str(data.paymentId), amount: num(data.amount), currency: str(data.currency) };
}

function outcomeOf(event: RecordedEvent): OutcomeRow | null {
  if (!isSyncOutcome(event.type)) return null;
  const commandEventId = commandEventIdOf(event);
  if (!commandEventId) return null;
  const data = obj(event.data) ?? {};
  const failed = event.type === 'StripeSyncFailed';
  return {
    command_event_id: commandEventId,
    // Outcomes are appended to their command's stream.
    stream: event.stream,
    command_event_type: str(data.commandEventType),
    customer_id: uuidOrNull(data.customerId),
    status: failed ? 'failed' : 'synced',
    stripe_ids: stripeIdsOfOutcome(event.type, data),
    reason: failed ? (str(data.reason) ?? 'unknown') : null,
    attempts: failed ? (num(data.attempts) ?? 1) : 0,
    outcome_event_id: event.id.toLowerCase(),
    outcome_at: occurredAtOf(event),
    outcome_position: event.position.toString(),
  };
}

/** Two outcomes of one command as the SQL merges them, `next` applied after `held`. */
function fold(held: OutcomeRow, next: OutcomeRow): OutcomeRow {
  const latest = BigInt(next.outcome_position) > BigInt(held.outcome_position) ? next : held;
  return {
    ...latest,
    stream: held.stream ?? next.stream,
    command_event_type: held.command_event_type ?? next.command_event_type,
    customer_id: held.customer_id ?? next.customer_id,
    attempts: Math.max(held.attempts, next.attempts),
  };
}
