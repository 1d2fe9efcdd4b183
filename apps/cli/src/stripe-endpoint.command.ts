import Stripe from 'stripe';
import { loadConfig } from '@ledgerline/config';
import {
  createStripeClient,
  EndpointRequestError,
  type EndpointOutcome,
  type EndpointRequest,
  type EndpointView,
  endpointRequestOf,
  endpointView,
  EndpointVersionMismatchError,
  ensureWebhookEndpoint,
  isPassingStripeError,
  listWebhookEndpoints,
} from '@ledgerline/stripe';
import { onlyWith, parseArgs, UsageError } from './args';
import { type CliContext, type Command, EXIT } from './command';

const SPECS = {
  url: { type: 'string' },
  events: { type: 'string' },
  recreate: { type: 'boolean' },
  list: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

const NAME = 'ledgerline stripe-endpoint';

/**
 * `ledgerline stripe-endpoint`: creates or updates the Stripe account's webhook endpoint for
 * Ledgerline through the API (libs/stripe ensureWebhookEndpoint, as `PUT /admin/stripe-endpoint`),
 * or lists the account's endpoints. Needs STRIPE_API_KEY, and no database.
 */
export const stripeEndpointCommand: Command = {
  name: 'stripe-endpoint',
  synopsis: 'stripe-endpoint --url <https://.../webhooks/stripe> [--events needed|all] [--recreate] | --list [--json]',
  summary: "create or update the Stripe account's webhook endpoint for Ledgerline, or list the account's endpoints",
  help: [
    "  --url <url>          the public URL of Ledgerline's /webhooks/stripe: https (http only for localhost/127.0.0.1)",
    "  --events needed|all  the event types Ledgerline's read models read (default), or all (*)",
    "  --recreate           if the endpoint for this URL uses another API version than Ledgerline's, replace it",
    '                       by a new endpoint (a new signing secret); without it, such an endpoint is left as it is',
    "  --list               the account's webhook endpoints: id, status, events, API version, whether it is",
    "                       Ledgerline's, URL (never a secret); --json for JSON",
    'Needs STRIPE_API_KEY (STRIPE_API_BASE for a Stripe-compatible server); no database. The same command',
    'again changes nothing. On creation the signing secret is printed once, to add to STRIPE_WEBHOOK_SECRETS.',
    "Exit 0: created, updated or up to date; 1: Stripe refused, or the endpoint's API version differs (see",
    '--recreate); 75: Stripe unreachable or busy, try again; 78: no STRIPE_API_KEY, or Stripe refused it.',
  ].join('\n'),
  needsDatabase: false,
  prepare(args) {
    const { options } = parseArgs(args, SPECS);
    if (options.list) {
      onlyWith('list', options, ['json']);
      const json = options.json === true;
      return (context) => withStripe(context, (stripe) => list(stripe, json, context));
    }
    if (options.json) throw new UsageError('--json goes with --list only');
    if (options.url === undefined) {
      throw new UsageError(
        "option --url is required: the public https URL of Ledgerline's /webhooks/stripe (or --list)",
      );
    }
    let request: EndpointRequest;
    try {
      request = endpointRequestOf({ url: options.url, events: options.events });
    } catch (error) {
      if (error instanceof EndpointRequestError) throw new UsageError(`option --${error.field} ${error.message}`);
      throw error;
    }
    const recreate = options.recreate === true;
    return (context) => withStripe(context, (stripe) => ensure(stripe, request, recreate, context));
  },
};

async function withStripe(context: CliContext, work: (stripe: Stripe) => Promise<number>): Promise<number> {
  const { apiKey, apiBase } = loadConfig().stripe;
  if (!apiKey) {
    context.log(`${NAME}: STRIPE_API_KEY is not set: it names the Stripe account whose webhook endpoints this manages`);
    return EXIT.config;
  }
  try {
    return await work(createStripeClient({ apiKey, apiBase, maxNetworkRetries: 2 }));
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeError)) throw error;
    if (error instanceof Stripe.errors.StripeAuthenticationError) {
      context.log(`${NAME}: Stripe refused STRIPE_API_KEY: ${error.message}`);
      return EXIT.config;
    }
    const passing = isPassingStripeError(error);
    context.log(
      `${NAME}: Stripe ${error.statusCode ? `answered ${error.statusCode}` : 'could not be reached'}: ${error.message}` +
        (passing ? ' (try again)' : ''),
    );
    return passing ? EXIT.tempFail : EXIT.failed;
  }
}

async function list(stripe: Stripe, json: boolean, context: CliContext): Promise<number> {
  const views = (await listWebhookEndpoints(stripe)).map(endpointView);
  if (json) {
    process.stdout.write(`${JSON.stringify(views, null, 2)}\n`);
    return EXIT.ok;
  }
  if (!views.length) {
    context.log('no webhook endpoints on this Stripe account');
    return EXIT.ok;
  }
  const rows = views.map((view) => [
    view.id,
    view.status,
    events(view),
    view.apiVersion ?? 'account default',
    view.ledgerline ? 'ledgerline' : '-',
    view.url,
  ]);
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) {
    const line = row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)));
    process.stdout.write(`${line.join('  ')}\n`);
  }
  return EXIT.ok;
}

async function ensure(
  stripe: Stripe,
  request: EndpointRequest,
  recreate: boolean,
  context: CliContext,
): Promise<number> {
  let result: EndpointOutcome;
  try {
    result = await ensureWebhookEndpoint(stripe, request, { recreate });
  } catch (error) {
    if (!(error instanceof EndpointVersionMismatchError)) throw error;
    context.log(`${NAME}: ${error.message}`);
    return EXIT.failed;
  }
  const { endpoint } = result;
  const what = `${events(endpoint)}, API version ${endpoint.apiVersion}`;
  const lines: string[] = [];
  switch (result.outcome) {
    case 'unchanged':
      lines.push(`webhook endpoint ${endpoint.id} for ${endpoint.url} is up to date (${what}): nothing changed`);
      break;
    case 'updated':
      lines.push(`updated webhook endpoint ${endpoint.id} for ${endpoint.url} (${what}):`);
      lines.push(...result.changes.map((change) => `  ${change}`));
      lines.push('its signing secret is unchanged');
      break;
    case 'created':
      lines.push(`created webhook endpoint ${endpoint.id} for ${endpoint.url} (${what})`);
      break;
    case 'recreated':
      lines.push(
        `created webhook endpoint ${endpoint.id} for ${endpoint.url} (${what}) to replace ${result.replaced}:`,
      );
      lines.push(...result.changes.map((change) => `  ${change}`));
      break;
  }
  if (result.outcome === 'created' || result.outcome === 'recreated') lines.push('', ...secretLines(result));
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const warning of result.warnings) context.log(`warning: ${warning}`);
  return EXIT.ok;
}

/** The one place the signing secret is ever written: stdout, once, on creation. */
function secretLines(result: EndpointOutcome): string[] {
  if (!result.secret) return ['Stripe returned no signing secret: reveal it in the Stripe Dashboard.'];
  return [
    `signing secret: ${result.secret}`,
    'Add it to STRIPE_WEBHOOK_SECRETS (comma-separated, beside the secrets already there) and restart',
    'Ledgerline. Stripe shows it only now: this command cannot print it again.',
    ...(result.outcome === 'recreated'
      ? [
          "Keep the old endpoint's secret listed until Ledgerline runs with the new one: until then Stripe",
          "retries the new endpoint's deliveries that fail verification (for up to 3 days), so none is lost.",
        ]
      : []),
  ];
}

function events(view: EndpointView): string {
  if (view.enabledEvents.includes('*')) return 'all events';
  return `${view.enabledEvents.length} event type${view.enabledEvents.length === 1 ? '' : 's'}`;
}
