import { describe, expect, it } from '@jest/globals';
import { reportCsv, reportOf } from './report';

describe('reportCsv', () => {
  const report = reportOf({
    input: { from: 1_767_225_600, to: 1_767_312_000 },
    position: 42n,
    eventsRead: 3,
    balanceTransactions: { source: 'events', count: 1 },
    readModels: { checked: false, reason: 'read models behind', rows: 0, newerThanPosition: [] },
    entries: [
      {
        field: 'grossCharges',
        day: '2026-01-01',
        currency: 'eur',
        account: null,
        objectId: 'ch_1',
        eventId: 'e1',
        amount: 1000,
      },
      { field: 'fees', day: '2026-01-01', currency: 'eur', account: null, objectId: 'ch_1', eventId: 'e1', amount: 30 },
    ],
    findings: [
      {
        kind: 'amount_differs',
        message: '=HYPERLINK("http://evil") says "1,000"',
        stripeIds: ['ch_1', 'txn_1'],
        eventIds: ['e1'],
        currency: 'eur',
        expected: 1000,
        actual: -900,
      },
    ],
  });

  it('is one table: a run row, ledger and total rows, finding rows; every row as wide as the header', () => {
    const rows = reportCsv(report).split('\r\n');
    expect(rows.pop()).toBe('');
    expect(rows.map((row) => row.split(',')[0])).toEqual(['record', 'run', 'ledger', 'total', 'finding']);
    expect(rows[2]).toBe('ledger,2026-01-01,eur,,1000,0,0,0,0,0,30,970,0,0,0,0,0,,,,,,');
    expect(rows[1]).toContain(
      'position 42; 3 events read; balance transactions from events (1); read models not checked',
    );
  });

  it('quotes commas and quotes, keeps negative amounts, and defuses spreadsheet formulas', () => {
    const finding = reportCsv(report).split('\r\n')[4]!;
    expect(finding).toContain(',amount_differs,1000,-900,ch_1 txn_1,e1,');
    expect(finding.endsWith(`"'=HYPERLINK(""http://evil"") says ""1,000"""`)).toBe(true);
  });
});
