import { refId } from '../shared/stripe-refs';
import type { EntryDraft, Mapping } from './activity-entry';
import { day, listData, num, obj, str, words, type Json } from './format';

const STATUS_WORDS: Record<string, string> = {
  trialing: 'in trial',
  canceled: 'cancelled',
  incomplete_expired: 'expired (first payment never made)',
};

export const SUBSCRIPTION_MAPPINGS: Record<string, Mapping> = {
  'customer.subscription.created': ({ object }) => {
    const plan = planLabel(object);
    const status = str(object.status);
    if (status === 'trialing') {
      const ends = day(object.trial_end);
      const what = [plan, ends ? `ends ${ends}` : null].filter(Boolean).join(', ');
      return [entry('trial_started', what ? `Trial started: ${what}` : 'Trial started', { plan, status })];
    }
    // An incomplete subscription waits for its first payment: "started" would mislead.
    const summary =
      status === 'incomplete'
        ? `Subscription created${plan ? ` for ${plan}` : ''}, awaiting first payment`
        : `Subscription started${plan ? `: ${plan}` : ''}`;
    return [entry('subscription_started', summary, { plan, status })];
  },

  // One update can change several things at once (plan and cancellation): one entry for each.
  'customer.subscription.updated': (input) =>
    [planChange(input.object, input.previous, input.changed), cancellationChange(input), statusChange(input)].filter(
      (draft): draft is EntryDraft => draft !== null,
    ),

  'customer.subscription.deleted': ({ object }) => {
    const plan = planLabel(object);
    const reason = words(obj(object.cancellation_details)?.reason);
    const summary = `Subscription cancelled${plan ? `: ${plan}` : ''}${reason ? ` (${reason})` : ''}`;
    return [entry('subscription_cancelled', summary, { plan, reason: str(obj(object.cancellation_details)?.reason) })];
  },

  'customer.subscription.trial_will_end': ({ object }) => {
    const ends = day(object.trial_end);
    return [
      entry('trial_ending', ends ? `Trial ending on ${ends}` : 'Trial ending soon', {
        trialEnd: num(object.trial_end),
      }),
    ];
  },
};

function entry(kind: EntryDraft['kind'], summary: string, details: Json): EntryDraft {
  return { kind, summary, details };
}

/** `Pro` or `2 × Pro + Support`: each item's price nickname, plan nickname, product or price id. */
export function planLabel(subscription: Json): string | null {
  const labels = listData(subscription.items)
    .map(itemLabel)
    .filter((label): label is string => label !== null);
  return labels.length ? labels.join(' + ') : null;
}

function itemLabel(item: Json): string | null {
  const price = obj(item.price);
  const plan = obj(item.plan);
  const product = price?.product ?? plan?.product;
  const name =
    str(price?.nickname) ??
    str(plan?.nickname) ??
    str(obj(product)?.name) ??
    refId(product) ??
    str(price?.id) ??
    str(plan?.id);
  const quantity = num(item.quantity);
  return name && quantity !== null && quantity !== 1 ? `${quantity} × ${name}` : name;
}

function planChange(object: Json, previous: Json, changed: string[]): EntryDraft | null {
  if (!changed.some((key) => key === 'items' || key === 'plan' || key === 'quantity')) return null;
  const from = planLabel(previous);
  const to = planLabel(object);
  // Items also "change" when only their metadata or ids do: no entry unless the plan reads differently.
  if (!to || from === to) return null;
  return entry('plan_changed', from ? `Plan changed from ${from} to ${to}` : `Plan changed to ${to}`, { from, to });
}

/**
 * Older API versions schedule a cancellation with `cancel_at_period_end`, newer ones may set only
 * `cancel_at`; either flips give one entry (both flip together in some versions).
 */
function cancellationChange({ object, previous, changed }: Parameters<Mapping>[0]): EntryDraft | null {
  const flipped = (key: string, was: (v: unknown) => boolean, is: (v: unknown) => boolean) =>
    changed.includes(key) && was(previous[key]) && is(object[key]);
  const set = (v: unknown) => v !== null && v !== undefined && v !== false;
  const unset = (v: unknown) => !set(v);
  if (flipped('cancel_at_period_end', unset, set) || flipped('cancel_at', unset, set)) {
    const at = num(object.cancel_at) ?? num(object.current_period_end);
    const when = day(at);
    return entry('cancellation_scheduled', when ? `Cancellation scheduled for ${when}` : 'Cancellation scheduled', {
      cancelAt: at,
    });
  }
  if (flipped('cancel_at_period_end', set, unset) || flipped('cancel_at', set, unset)) {
    return entry('cancellation_withdrawn', 'Cancellation withdrawn', {});
  }
  return null;
}

function statusChange({ object, previous, changed }: Parameters<Mapping>[0]): EntryDraft | null {
  const to = str(object.status);
  const from = str(previous.status);
  // A cancellation also sends customer.subscription.deleted, which has its own entry.
  if (!changed.includes('status') || !to || to === from || to === 'canceled') return null;
  const was = from ? ` (was ${STATUS_WORDS[from] ?? words(from)})` : '';
  return entry('subscription_status_changed', `Subscription ${STATUS_WORDS[to] ?? words(to)}${was}`, { from, to });
}
