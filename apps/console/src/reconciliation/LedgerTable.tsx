import type { ReactNode } from 'react';
import { formatMoney } from '../ui/format';
import type { LedgerLine } from './reconciliation-api';
import { Table } from '../ui/Table';

type Column = { key: keyof LedgerLine; label: string; title: string; money: boolean };

/** The ledger's fields (docs/reconciliation.md, "The ledger"), in the report's and the CSV's order. */
const COLUMNS: Column[] = [
  { key: 'charges', label: 'Charges', title: 'Succeeded charges created that day', money: false },
  { key: 'grossCharges', label: 'Gross', title: 'Captured amount of those charges', money: true },
  { key: 'refundsByPlatform', label: 'Refunds (platform)', title: 'Refunds the platform asked for', money: true },
  { key: 'refundsByStripe', label: 'Refunds (other)', title: 'Refunds made in Stripe (dashboard, API)', money: true },
  { key: 'disputeWithdrawals', label: 'Dispute withdrawals', title: 'Money taken by disputes', money: true },
  { key: 'disputeReinstatements', label: 'Reinstatements', title: 'Money given back by won disputes', money: true },
  { key: 'fees', label: 'Fees', title: 'Stripe’s fees', money: true },
  { key: 'net', label: 'Net', title: 'Gross − refunds − withdrawals + reinstatements − fees', money: true },
  { key: 'balanceCredits', label: 'Credit granted', title: 'Customer balance credits granted', money: true },
  { key: 'balanceDebits', label: 'Credit used', title: 'Customer credit used or debt added', money: true },
  { key: 'invoicesPaid', label: 'Invoices paid', title: 'Invoices paid that day', money: false },
  { key: 'invoicesPaidAmount', label: 'Paid amount', title: 'Money those invoices took', money: true },
  { key: 'invoicesPaidFromBalance', label: 'Paid from credit', title: 'Customer credit they consumed', money: true },
];

/** Ledger lines per day, currency and Connect account; amounts in the line's currency. */
export function LedgerTable({ lines }: { lines: LedgerLine[] }) {
  return (
    <LedgerFrame className="ledger" lines={lines}>
      <thead>
        <tr>
          <th>Day</th>
          <th>Currency</th>
          <th>Account</th>
          {COLUMNS.map((column) => (
            <th key={column.key} className="num" title={column.title}>
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => (
          <tr key={`${line.day}/${accountKey(line)}`}>
            <td>{line.day}</td>
            <td>{line.currency.toUpperCase()}</td>
            <td>{line.account ?? <span className="muted">platform</span>}</td>
            {COLUMNS.map((column) => (
              <Amount key={column.key} line={line} column={column} net={column.key === 'net'} />
            ))}
          </tr>
        ))}
      </tbody>
    </LedgerFrame>
  );
}

/**
 * The period's totals, one column per currency and account and one row per field: there are few
 * of them, and read down a column they make the statement finance checks against Stripe's.
 */
export function LedgerTotals({ totals }: { totals: LedgerLine[] }) {
  return (
    <LedgerFrame className="ledger-totals" lines={totals}>
      <thead>
        <tr>
          <th />
          {totals.map((line) => (
            <th key={accountKey(line)} className="num">
              {line.currency.toUpperCase()} · {line.account ?? 'platform'}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {COLUMNS.map((column) => (
          <tr key={column.key} className={column.key === 'net' ? 'net' : undefined}>
            <th scope="row" title={column.title}>
              {column.label}
            </th>
            {totals.map((line) => (
              <Amount key={accountKey(line)} line={line} column={column} />
            ))}
          </tr>
        ))}
      </tbody>
    </LedgerFrame>
  );
}

/** A ledger table, scrolling sideways when it is wider than the page; a line of text when empty. */
function LedgerFrame({ className, lines, children }: { className: string; lines: LedgerLine[]; children: ReactNode }) {
  if (lines.length === 0) return <p className="muted">No money moved in this period.</p>;
  return (
    <div className="table-scroll">
      <Table className={className}>{children}</Table>
    </div>
  );
}

/** One field of one line: money in the line's currency, counts as numbers; `net` in bold. */
function Amount({ line, column, net = false }: { line: LedgerLine; column: Column; net?: boolean }) {
  const value = Number(line[column.key]);
  return (
    <td className={net ? 'num net' : 'num'}>
      {column.money ? formatMoney(value, line.currency) : value.toLocaleString('en')}
    </td>
  );
}

/** Lines of one day differ by currency and account. */
function accountKey(line: LedgerLine): string {
  return `${line.currency}/${line.account ?? ''}`;
}
