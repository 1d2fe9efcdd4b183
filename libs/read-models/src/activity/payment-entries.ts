import { refId } from '../shared/stripe-refs';
import type { Mapping } from './activity-entry';
import { day, listData, money, num, obj, str, words, type Json } from './format';

const DISPUTE_OUTCOME: Record<string, string> = {
  won: 'won',
  lost: 'lost',
  warning_closed: 'inquiry closed without a dispute',
  charge_refunded: 'charge refunded',
};

export const PAYMENT_MAPPINGS: Record<string, Mapping> = {
  /**
   * Refunds come from charge.refunded only: it is sent for every refund (full or partial) on every
   * API version and its charge names the customer. refund.created (newer accounts) would report the
   * same refund a second time, so it is not read. `previous_attributes.amount_refunded` tells this
   * refund's amount apart from earlier partial refunds of the same charge.
   */
  'charge.refunded': ({ object, previous, changed }) => {
    const total = num(object.amount_refunded);
    const before = changed.includes('amount_refunded') ? (num(previous.amount_refunded) ?? 0) : 0;
    const amount = total === null ? null : total - before;
    const full = object.refunded === true;
    const reason = words(latestRefund(object)?.reason);
    const text = money(amount, object.currency);
    let summary = `Refund${text ? ` of ${text}` : ''} issued`;
    if (full && before > 0) summary += ' (charge now fully refunded)';
    if (reason) summary += `: ${reason}`;
    return [
      {
        kind: 'refund_issued',
        summary,
        details: { amount, currency: str(object.currency), totalRefunded: total, fullyRefunded: full },
        chargeId: str(object.id),
      },
    ];
  },

  'charge.dispute.created': ({ object }) => {
    const reason = words(object.reason);
    const amount = money(object.amount, object.currency);
    const due = num(obj(object.evidence_details)?.due_by) ?? num(object.evidence_due_by);
    const facts = [reason, amount].filter(Boolean).join(', ');
    let summary = `Dispute opened${facts ? ` (${facts})` : ''}`;
    if (due !== null) summary += `; evidence due ${day(due)}`;
    return [
      {
        kind: 'dispute_opened',
        summary,
        details: disputeDetails(object, { evidenceDueBy: due }),
        chargeId: refId(object.charge),
      },
    ];
  },

  'charge.dispute.closed': ({ object }) => {
    const status = str(object.status);
    const outcome = status ? (DISPUTE_OUTCOME[status] ?? words(status)) : null;
    return [
      {
        kind: 'dispute_closed',
        summary: outcome ? `Dispute closed: ${outcome}` : 'Dispute closed',
        details: disputeDetails(object, {}),
        chargeId: refId(object.charge),
      },
    ];
  },
};

function disputeDetails(dispute: Json, extra: Json): Json {
  return {
    reason: str(dispute.reason),
    status: str(dispute.status),
    amount: num(dispute.amount),
    currency: str(dispute.currency),
    ...extra,
  };
}

function latestRefund(charge: Json): Json | null {
  const refunds = listData(charge.refunds);
  return refunds.reduce<Json | null>(
    (latest, refund) => (!latest || (num(refund.created) ?? 0) > (num(latest.created) ?? 0) ? refund : latest),
    null,
  );
}

/**
 * Which customer a charge belongs to, from every object the projector reads that says so: the
 * charge itself, an invoice (its `charge`) and a dispute whose charge came expanded.
 */
export function chargeLinkOf(object: Json): { chargeId: string; customerStripeId: string } | null {
  const link = (chargeId: string | null, customer: unknown) => {
    const customerStripeId = refId(customer);
    return chargeId && customerStripeId ? { chargeId, customerStripeId } : null;
  };
  if (object.object === 'charge') return link(str(object.id), object.customer);
  if (object.object === 'invoice') return link(refId(object.charge), object.customer);
  if (object.object === 'dispute') return link(refId(object.charge), obj(object.charge)?.customer);
  return null;
}
