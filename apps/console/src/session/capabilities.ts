import type { Schemas } from '../api/api-schemas';

/** The roles of API keys (GET /me) and what each may do in the console; `admin` may do everything. */
export type Role = Schemas['Principal']['role'];

export type Capability =
  | 'customers' // search, read and change customers
  | 'subscriptions' // search, read and act on subscriptions and payments
  | 'history' // audit trails and records as of a date
  | 'reconciliation' // reconciliation runs and their findings
  | 'operations'; // projections, parked events, rebuilds

const GRANTS: Record<Role, Capability[]> = {
  support: ['customers', 'subscriptions', 'history'],
  finance: ['reconciliation'],
  admin: ['customers', 'subscriptions', 'history', 'reconciliation', 'operations'],
  consumer: [],
};

export function can(role: Role | undefined, capability: Capability): boolean {
  return role !== undefined && GRANTS[role].includes(capability);
}

/** Where a role lands after signing in: its first area. */
export function homeOf(role: Role): string {
  if (can(role, 'customers')) return '/customers';
  if (can(role, 'reconciliation')) return '/reconciliation';
  return '/no-access';
}
