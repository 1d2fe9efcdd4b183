import { route, type Route } from './routing';
import { int, listReply, obj } from './stripe-objects';

/**
 * `GET /v1/balance_transactions` over what the test seeded (`addBalanceTransactions`), with
 * Stripe's `created[gte|gt|lte|lt]` filter and cursor paging, newest first.
 */
export const balanceRoutes: Route[] = [
  route('GET', '/v1/balance_transactions', async ({ params, state }) => {
    const created = obj(params.created) ?? {};
    const [gte, gt, lte, lt] = ['gte', 'gt', 'lte', 'lt'].map((bound) => int(created[bound]));
    const found = state.balanceLedger.filter((txn) => {
      const at = Number(txn.created);
      return (
        (gte === undefined || at >= gte) &&
        (gt === undefined || at > gt) &&
        (lte === undefined || at <= lte) &&
        (lt === undefined || at < lt)
      );
    });
    return listReply('/v1/balance_transactions', found, params);
  }),
];
