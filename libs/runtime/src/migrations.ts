import { BackfillRuns1764000001700 } from '@ledgerline/backfill';
import { EVENT_STORE_MIGRATIONS } from '@ledgerline/event-store';
import { CommandRequests1764000001000 } from '@ledgerline/commands';
import { WorkerLeases1764000002600 } from '@ledgerline/leases';
import {
  ProjectionAdvancedAt1764000002500,
  ProjectionEngine1763900000000,
  ReplayRuns1764000001500,
} from '@ledgerline/projections';
import {
  MoneyDigests1764000002300,
  ReconciliationFindingsByKind1764000002000,
  ReconciliationRuns1764000001600,
} from '@ledgerline/reconciliation';
import {
  Activity1764000000600,
  AuditIndex1764000001200,
  EntityHistory1764000001100,
  Notifications1764000000700,
  ProductLinks1764000001800,
  StripeObjects1763900000100,
  StripeObjectsByReference1764000002100,
  StripeSync1764000000900,
  StripeSyncAttempts1764000003100,
  StripeSyncRefunds1764000002910,
  SUPPORT_READ_MODEL_MIGRATIONS,
} from '@ledgerline/read-models';

/** Read-model migrations of every lib, in order. The event store's own schema is listed apart. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const READ_MODEL_MIGRATIONS: Function[] = [
  ProjectionEngine1763900000000,
  StripeObjects1763900000100,
  ...SUPPORT_READ_MODEL_MIGRATIONS,
  Activity1764000000600,
  Notifications1764000000700,
  StripeSync1764000000900,
  CommandRequests1764000001000,
  EntityHistory1764000001100,
  AuditIndex1764000001200,
  ReplayRuns1764000001500,
  ReconciliationRuns1764000001600,
  BackfillRuns1764000001700,
  ProductLinks1764000001800,
  ReconciliationFindingsByKind1764000002000,
  StripeObjectsByReference1764000002100,
  MoneyDigests1764000002300,
  ProjectionAdvancedAt1764000002500,
  WorkerLeases1764000002600,
  StripeSyncRefunds1764000002910,
  StripeSyncAttempts1764000003100,
];

export { EVENT_STORE_MIGRATIONS };
