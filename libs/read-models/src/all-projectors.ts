import type { Projector } from '@ledgerline/projections';
import { StripeObjectsProjector } from './stripe-objects/stripe-objects.projector';

/** Every read model the worker keeps up to date. */
export function allProjectors(): Projector[] {
  return [new StripeObjectsProjector()];
}
