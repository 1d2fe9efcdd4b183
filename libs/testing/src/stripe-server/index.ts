export { startStripeServer, STRIPE_TEST_API_KEY } from './stripe-test-server';
export type { RecordedRequest, StripeTestServer } from './server-types';
export type { DropOptions, FailOptions, RequestMatcher } from './faults';
export type { FormParams, FormValue } from './form-body';
export { fixtureCopies } from './fixture-copies';
export { stripeCatalogue, type StripeCatalogue } from './stripe-catalogue';
