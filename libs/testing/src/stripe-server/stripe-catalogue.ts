import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface StripeCatalogue {
  /** Every event type a webhook endpoint may subscribe to (`*` excluded), as the installed SDK declares them. */
  eventTypes: string[];
  /** Every API version an endpoint may be created with. */
  apiVersions: string[];
}

let cached: StripeCatalogue | undefined;

/**
 * Stripe's catalogue of webhook event types and API versions, read from the installed SDK's own
 * declarations (`WebhookEndpointCreateParams.EnabledEvent` and `.ApiVersion`), so that the test
 * server accepts exactly what the SDK Ledgerline is pinned to knows.
 */
export function stripeCatalogue(): StripeCatalogue {
  if (cached) return cached;
  const file = join(dirname(require.resolve('stripe')), 'resources', 'WebhookEndpoints.d.ts');
  const text = readFileSync(file, 'utf8');
  const union = (name: string): string[] => {
    const match = new RegExp(`namespace WebhookEndpointCreateParams \\{[^}]*?type ${name} = ([^;]+);`, 's').exec(text);
    if (!match) throw new Error(`Stripe SDK declarations changed: no WebhookEndpointCreateParams.${name} in ${file}`);
    return [...match[1]!.matchAll(/'([^']+)'/g)].map((literal) => literal[1]!);
  };
  cached = { eventTypes: union('EnabledEvent').filter((type) => type !== '*'), apiVersions: union('ApiVersion') };
  return cached;
}
