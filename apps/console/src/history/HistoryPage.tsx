import { Link, useParams, useSearchParams } from 'react-router';
import { useApi } from '../api/use-api';
import { ErrorMessage } from '../ui/ErrorMessage';
import { AsOfView } from './AsOfView';
import { AuditTrail } from './AuditTrail';
import type { HistoryCollection, HistoryRecords, HistorySubject } from './history-types';
import { CUSTOMER_HISTORY, SUBSCRIPTION_HISTORY } from './record-fields';

/**
 * A record's History: who changed it, when and how (the audit trail), and the record as it stood
 * at any instant next to the record now. The instant is in the URL (`?asOf=`), so it can be shared.
 */
function HistoryPage<C extends HistoryCollection>({ subject }: { subject: HistorySubject<C> }) {
  const id = useParams().id!;
  const [params, setParams] = useSearchParams();
  const asOf = params.get('asOf');
  const current = useApi(
    (api, signal) => api.get<HistoryRecords[C]>(`/${subject.collection}/${encodeURIComponent(id)}`, { signal }),
    [subject.collection, id],
  );
  const setAsOf = (iso: string | null) => setParams(iso ? { asOf: iso } : {}, { replace: false });

  return (
    <>
      <div className="toolbar">
        <h1 className="grow">History of {current.data ? subject.titleOf(current.data) : id}</h1>
        <Link to={`/${subject.collection}/${encodeURIComponent(id)}`}>Back to the {subject.noun}</Link>
      </div>
      {current.error ? <ErrorMessage error={current.error} /> : null}
      <AsOfView subject={subject} id={id} current={current.data} asOf={asOf} onAsOf={setAsOf} />
      <AuditTrail
        path={`/${subject.collection}/${encodeURIComponent(id)}/audit`}
        onViewAsOf={setAsOf}
        selectedAsOf={asOf}
      />
    </>
  );
}

export function CustomerHistoryPage() {
  return <HistoryPage subject={CUSTOMER_HISTORY} />;
}

export function SubscriptionHistoryPage() {
  return <HistoryPage subject={SUBSCRIPTION_HISTORY} />;
}
