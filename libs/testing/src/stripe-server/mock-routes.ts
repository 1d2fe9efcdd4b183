import { forward, route, type Route } from './routing';

/** Endpoints stripe-stateful-mock answers well enough on its own; they reach it unchanged. */
export const mockRoutes: Route[] = [
  route('POST', '/v1/customers/:id/sources', forward),
  route('GET', '/v1/customers/:id/sources/:card', forward),
  route('DELETE', '/v1/customers/:id/sources/:card', forward),
  route('POST', '/v1/charges', forward),
  route('GET', '/v1/charges/:id', forward),
  route('POST', '/v1/charges/:id', forward),
  route('POST', '/v1/charges/:id/capture', forward),
  route('GET', '/v1/charges/:id/refunds', forward),
  route('GET', '/v1/refunds/:id', forward),
  route('POST', '/v1/prices', forward),
  route('GET', '/v1/prices/:id', forward),
  route('POST', '/v1/prices/:id', forward),
  route('POST', '/v1/products', forward),
  route('GET', '/v1/products/:id', forward),
  route('POST', '/v1/plans', forward),
  route('GET', '/v1/plans/:id', forward),
  route('GET', '/v1/tax_rates', forward),
  route('POST', '/v1/tax_rates', forward),
  route('GET', '/v1/tax_rates/:id', forward),
  route('POST', '/v1/tax_rates/:id', forward),
  route('GET', '/v1/disputes/:id', forward),
];
