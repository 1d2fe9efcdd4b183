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
    const loaded = await this.aggregates.load(subscriptionStream(subscriptionId), subscriptionEvolver);
    if (!row && loaded.revision === 'no_stream') throw CommandRejected.notFound(`Subscription ${id} not found`);
    const items = (row?.items ?? []).map((item) => ({
      priceId: item.priceId ?? item.planId ?? null,
      unitAmount: item.unitAmount ?? 0,
      quantity: item.quantity ?? 1,
      currency: item.currency ?? null,
    }));
    const state = loaded.state;
    if (!items.length && state.item) {
      items.push({ ...state.item, unitAmount: state.item.unitAmount ?? 0, quantity: 1 });
    }
    const periodEnd = row?.currentPeriodEnd ?? row?.items?.[0]?.currentPeriodEnd ?? null;
    const periodStart = row?.currentPeriodStart ?? row?.items?.[0]?.currentPeriodStart ?? null;
    return {
      ...loaded,
      subscriptionId,
      stripeStatus: row?.status ?? null,
      customerId: row?.customerId ?? state.customerId,
      customerStripeId: row?.customerStripeId ?? null,
      items,
      currentPeriodStart: periodStart ? new Date(periodStart) : null,
      currentPeriodEnd: periodEnd ? new Date(periodEnd) : null,
      cancelAtPeriodEnd: row?.cancelAtPeriodEnd === true || state.cancelAtPeriodEnd,
    };
  }
}
