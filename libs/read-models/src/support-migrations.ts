import { Catalog1764000000500, PriceTrials1764000002200 } from './catalog/catalog.migration';
import { CustomerListIndexes1764000003200 } from './customers/customer-list-indexes.migration';
import { CustomerNamePrefixIndex1764000002700 } from './customers/customer-name-index.migration';
import { CustomerSearchFold1764000002900 } from './customers/customer-search-fold.migration';
import { Customers1764000000100 } from './customers/customers.migration';
import { Invoices1764000000300 } from './invoices/invoices.migration';
import { PaymentMethods1764000000150 } from './payment-methods/payment-methods.migration';
import { Payments1764000000400 } from './payments/payments.migration';
import { Subscriptions1764000000200 } from './subscriptions/subscriptions.migration';
import { PlatformRecords1764000000800 } from './subscriptions/platform-records.migration';
import { SubscriptionReplacements1764000001900 } from './subscriptions/subscription-replacements.migration';
import { SubscriptionStartCoupon1764000003000 } from './subscriptions/start-coupon.migration';

/** The support read models' tables (issue 5), in order. */
export const SUPPORT_READ_MODEL_MIGRATIONS = [
  Customers1764000000100,
  PaymentMethods1764000000150,
  Subscriptions1764000000200,
  Invoices1764000000300,
  Payments1764000000400,
  Catalog1764000000500,
  PlatformRecords1764000000800,
  SubscriptionReplacements1764000001900,
  PriceTrials1764000002200,
  CustomerNamePrefixIndex1764000002700,
  CustomerSearchFold1764000002900,
  SubscriptionStartCoupon1764000003000,
  CustomerListIndexes1764000003200,
];
