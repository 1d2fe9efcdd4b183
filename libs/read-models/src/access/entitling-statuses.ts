/** Statuses in which a subscription gives access (past_due: Stripe is still retrying the payment). */
export const ENTITLING_STATUSES = new Set(['trialing', 'active', 'past_due']);
