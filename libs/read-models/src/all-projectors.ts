import type { Projector } from '@ledgerline/projections';
import { StripeObjectsProjector } from './stripe-objects/stripe-objects.projector';
import { ActivityProjector } from './activity/activity.projector';
import { StripeSyncProjector } from './stripe-sync/stripe-sync.projector';
import { NotificationsProjector } from './notifications/notifications.projector';
import { catalogProjector } from './catalog/catalog.projector';
import { customersProjector } from './customers/customers.projector';
import { invoicesProjector } from './invoices/invoices.projector';
import { paymentMethodsProjector } from './payment-methods/payment-methods.projector';
import { paymentsProjector } from './payments/payments.projector';
import { subscriptionsProjector } from './subscriptions/subscriptions.projector';
import { EntityHistoryProjector } from './history/entity-history.projector';
import { AuditIndexProjector } from './audit/audit-index.projector';
import { ProductLinksProjector } from './product-links/product-links.projector';

/** Every read model the worker keeps up to date. */
export function allProjectors(): Projector[] {
  return [
    new StripeObjectsProjector(),
    new NotificationsProjector(),
    customersProjector(),
    paymentMethodsProjector(),
    subscriptionsProjector(),
    invoicesProjector(),
    paymentsProjector(),
    catalogProjector(),
    new ActivityProjector(),
    new StripeSyncProjector(),
    new EntityHistoryProjector(),
    new AuditIndexProjector(),
    new ProductLinksProjector(),
  ];
}
