import { type ReactNode, useState } from 'react';

/** The Stripe dashboard's path for each kind of id (by its prefix). */
const DASHBOARD_PATHS: [string, string][] = [
  ['cus_', 'customers'],
  ['sub_', 'subscriptions'],
  ['in_', 'invoices'],
  ['ch_', 'payments'],
  ['py_', 'payments'],
  ['pi_', 'payments'],
  ['re_', 'refunds'],
  ['dp_', 'disputes'],
  ['du_', 'disputes'],
  ['prod_', 'products'],
  ['price_', 'prices'],
  ['txn_', 'balance/transactions'],
  ['evt_', 'events'],
  ['cn_', 'credit_notes'],
  ['sub_sched_', 'subscription_schedules'],
];

/** Where a Stripe object is seen in the dashboard: test or live by its `livemode`, under its Connect account. */
export interface StripeObjectPlace {
  /** null or undefined: not known, the test dashboard is the safer guess for a console that mostly sees tests. */
  livemode?: boolean | null;
  /** The connected account (`acct_...`) the object belongs to; null for the platform's own. */
  account?: string | null;
}

/** `https://dashboard.stripe.com/[test/][connect/accounts/<acct>/]<type path>/<id>`, or null for an id of no known kind. */
export function stripeDashboardUrl(id: string, { livemode, account }: StripeObjectPlace = {}): string | null {
  const path = [...DASHBOARD_PATHS]
    .sort(([a], [b]) => b.length - a.length)
    .find(([prefix]) => id.startsWith(prefix))?.[1];
  if (!path) return null;
  const mode = livemode === true ? '' : 'test/';
  const connect = account ? `connect/accounts/${encodeURIComponent(account)}/` : '';
  return `https://dashboard.stripe.com/${mode}${connect}${path}/${encodeURIComponent(id)}`;
}

/** A button that copies `text` (an id) to the clipboard, and says so. */
export function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1_500);
    } catch {
      // No clipboard (an insecure origin, a denied permission): the id stays selectable.
    }
  };
  return (
    <button type="button" className="link copy-id" onClick={() => void copy()} aria-label={`Copy ${text}`}>
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

/**
 * A Stripe id as support uses it: the id itself, a copy button and a link to the object in Stripe's
 * dashboard (a new tab). `link` shows the id as a link to the console's own page for it instead.
 */
export function StripeIdRef({
  id,
  place,
  link,
}: {
  id: string;
  place?: StripeObjectPlace;
  /** The console's page for the object, when it has one. */
  link?: ReactNode;
}) {
  return (
    <span className="stripe-id">
      {link ?? <code>{id}</code>} <CopyButton text={id} />
      <StripeDashboardLink id={id} place={place} />
    </span>
  );
}

/** " Stripe ↗": the object in Stripe's dashboard, in a new tab (nothing for an id of no known kind). */
export function StripeDashboardLink({ id, place }: { id: string; place?: StripeObjectPlace }) {
  const url = stripeDashboardUrl(id, place);
  if (!url) return null;
  return (
    <>
      {' '}
      <a href={url} target="_blank" rel="noreferrer" aria-label={`${id} in the Stripe dashboard`}>
        Stripe ↗
      </a>
    </>
  );
}
