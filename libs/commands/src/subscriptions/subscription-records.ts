import { Injectable } from '@nestjs/common';
import { subscriptionStream } from '@ledgerline/events';
import { AggregateStore, type Loaded } from '../command-handling/aggregate-store';
import { CommandRejected } from '../command-handling/command-errors';
import { ReadModelLookups } from '../lookups/read-model-lookups';
import { type SubscriptionState, subscriptionEvolver } from './subscription.aggregate';

export interface BilledItem {
  priceId: string | null;
  unitAmount: number;
  quantity: number;
  currency: string | null;
}

/** The aggregate plus what Stripe says about it now (read model): status, period, items. */
export interface LiveSubscription extends Loaded<SubscriptionState> {
  subscriptionId: string;
  stream: string;
  stripeStatus: string | null;
  customerId: string | null;
  customerStripeId: string | null;
  items: BilledItem[];
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
}

/** Loads the subscription a command names, by platform id or Stripe `sub_` id. */
@Injectable()
export class SubscriptionRecords {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly lookups: ReadModelLookups,
  ) {}

  async load(id: string): Promise<LiveSubscription> {
    const row = await this.lookups.subscription(id);
    const subscriptionId = row?.id ?? id;
    const stream = subscriptionStream(subscriptionId);
    const loaded = await this.aggregates.load(stream, subscriptionEvolver);
    if (!row && loaded.revision === 'no_stream') throw CommandRejected.notFound(`Subscription ${id} not found`);
    const items = ((row?.items as Record<string, unknown>[] | null) ?? []).map((item) => ({
      priceId: (item.priceId as string | null) ?? (item.planId as string | null) ?? null,
      unitAmount: Number(item.unitAmount ?? 0),
      quantity: Number(item.quantity ?? 1),
      currency: (item.currency as string | null) ?? null,
    }));
    const state = loaded.state;
    if (!items.length && state.item) {
      items.push({ ...state.item, unitAmount: state.item.unitAmount ?? 0, quantity: 1 });
    }
    const periodEnd = (row?.currentPeriodEnd as string | null) ?? firstItemDate(row, 'currentPeriodEnd');
    const periodStart = (row?.currentPeriodStart as string | null) ?? firstItemDate(row, 'currentPeriodStart');
    return {
      ...loaded,
      subscriptionId,
      stream,
      stripeStatus: (row?.status as string | null) ?? null,
      customerId: (row?.customerId as string | null) ?? state.customerId,
      customerStripeId: (row?.customerStripeId as string | null) ?? null,
      items,
      currentPeriodStart: periodStart ? new Date(periodStart) : null,
      currentPeriodEnd: periodEnd ? new Date(periodEnd) : null,
      cancelAtPeriodEnd: row?.cancelAtPeriodEnd === true || state.cancelAtPeriodEnd,
    };
  }
}

function firstItemDate(row: Record<string, unknown> | null, field: string): string | null {
  const items = (row?.items as Record<string, unknown>[] | null) ?? [];
  return (items[0]?.[field] as string | null | undefined) ?? null;
}
