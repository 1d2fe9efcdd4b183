import type { BalanceTransactionSource } from '../compare/balance-transactions';
import { isoOf } from '../period';
import type { Finding, FindingKind } from '../compare/findings';
import { type LedgerEntry, type LedgerLine, ledgerOf } from '../ledger/ledger-book';

export const REPORT_VERSION = 1;

export interface ReconciliationInput {
  /** Unix seconds, [from, to). */
  from: number;
  to: number;
  currency?: string | null;
  /** A Connect account (`acct_...`): only its money. Without one, every account's. */
  account?: string | null;
}

export interface ReadModelsChecked {
  checked: boolean;
  /** Why the check was skipped (read models behind the run's position). */
  reason: string | null;
  rows: number;
  newerThanPosition: string[];
}

/**
 * A reconciliation report. Nothing in it depends on when or by whom the run was made: the same
 * events and inputs give the same bytes (`reportJson`).
 */
export interface ReconciliationReport {
  reportVersion: number;
  period: { from: string; to: string };
  currency: string | null;
  account: string | null;
  /** The store position the run read up to (the head when it started). */
  position: string;
  eventsRead: number;
  balanceTransactions: { source: BalanceTransactionSource; count: number };
  readModels: ReadModelsChecked;
  /** One line per day, currency and account. */
  ledger: LedgerLine[];
  /** The period's sums per currency and account (`day` is the period). */
  totals: LedgerLine[];
  findings: Finding[];
  summary: { findings: number; byKind: Partial<Record<FindingKind, number>> };
}

export function reportOf(parts: {
  input: ReconciliationInput;
  position: bigint;
  eventsRead: number;
  balanceTransactions: ReconciliationReport['balanceTransactions'];
  readModels: ReadModelsChecked;
  entries: LedgerEntry[];
  findings: Finding[];
}): ReconciliationReport {
  const { input } = parts;
  const period = { from: isoOf(input.from), to: isoOf(input.to) };
  const entries = parts.entries.filter((entry) => !input.currency || entry.currency === input.currency);
  const findings = parts.findings.filter((finding) => !input.currency || finding.currency === input.currency);
  const byKind: Partial<Record<FindingKind, number>> = {};
  for (const finding of findings) byKind[finding.kind] = (byKind[finding.kind] ?? 0) + 1;
  return {
    reportVersion: REPORT_VERSION,
    period,
    currency: input.currency ?? null,
    account: input.account ?? null,
    position: parts.position.toString(),
    eventsRead: parts.eventsRead,
    balanceTransactions: parts.balanceTransactions,
    readModels: parts.readModels,
    ledger: ledgerOf(entries),
    totals: ledgerOf(entries.map((entry) => ({ ...entry, day: `${period.from}/${period.to}` }))),
    findings,
    summary: { findings: findings.length, byKind },
  };
}

/** The report's bytes: key order fixed by construction, lines and findings sorted, two-space indent. */
export function reportJson(report: ReconciliationReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const LINE_COLUMNS: (keyof LedgerLine)[] = [
  'grossCharges',
  'charges',
  'refundsByPlatform',
  'refundsByStripe',
  'disputeWithdrawals',
  'disputeReinstatements',
  'fees',
  'net',
  'balanceCredits',
  'balanceDebits',
  'invoicesPaid',
  'invoicesPaidAmount',
  'invoicesPaidFromBalance',
];

const CSV_HEADER = [
  'record',
  'day',
  'currency',
  'account',
  ...LINE_COLUMNS.map(snake),
  'finding',
  'expected',
  'actual',
  'stripe_ids',
  'event_ids',
  'message',
];

/**
 * The report as one CSV table, a `record` column saying what each row is: `run` (position, source
 * and period, in the message), `ledger` (a day), `total` (the period), `finding`. Amounts in minor
 * units, as Stripe gives them; ids joined with spaces.
 */
export function reportCsv(report: ReconciliationReport): string {
  const blank = (n: number) => Array<string>(n).fill('');
  const lineRow = (record: string, line: LedgerLine) => [
    record,
    line.day,
    line.currency,
    line.account ?? '',
    ...LINE_COLUMNS.map((column) => String(line[column])),
    ...blank(6),
  ];
  const rows: string[][] = [
    CSV_HEADER,
    [
      'run',
      `${report.period.from}/${report.period.to}`,
      report.currency ?? '',
      report.account ?? '',
      ...blank(LINE_COLUMNS.length + 5),
      `position ${report.position}; ${report.eventsRead} events read; balance transactions from ${report.balanceTransactions.source} (${report.balanceTransactions.count}); read models ${report.readModels.checked ? 'checked' : `not checked: ${report.readModels.reason}`}; ${report.summary.findings} findings`,
    ],
    ...report.ledger.map((line) => lineRow('ledger', line)),
    ...report.totals.map((line) => lineRow('total', line)),
    ...report.findings.map((finding) => [
      'finding',
      finding.readModel?.day ?? '',
      finding.currency ?? '',
      finding.readModel?.account ?? '',
      ...blank(LINE_COLUMNS.length),
      finding.kind,
      finding.expected === null ? '' : String(finding.expected),
      finding.actual === null ? '' : String(finding.actual),
      finding.stripeIds.join(' '),
      finding.eventIds.join(' '),
      finding.message,
    ]),
  ];
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** RFC 4180 quoting; a leading formula character is neutralised (a spreadsheet must not run it). */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
