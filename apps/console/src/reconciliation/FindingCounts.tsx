import { kindLabel, kindMeaning, type ReconciliationReport } from './reconciliation-api';

/** A run's findings: none (matched), or how many of each kind, each kind explained on hover. */
export function FindingCounts({ total, byKind }: { total: number; byKind: ReconciliationReport['summary']['byKind'] }) {
  if (total === 0) return <span className="badge status-matched">no findings</span>;
  const kinds = Object.entries(byKind).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="finding-counts">
      <strong>
        {total} {total === 1 ? 'finding' : 'findings'}
      </strong>
      <ul>
        {kinds.map(([kind, count]) => (
          <li key={kind} title={kindMeaning(kind)} data-kind={kind}>
            {kindLabel(kind)} <span className="badge status-mismatched">{count}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
