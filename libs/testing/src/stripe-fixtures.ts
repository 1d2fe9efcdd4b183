import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Stripe from 'stripe';
import { ROOT } from './process-harness';

/**
 * The real Stripe payloads the tests and benchmarks use, inside the repository: test/fixtures/stripe
 * (its README and manifest.tsv say where each file comes from; licences in its licenses/).
 */
const FIXTURES = join(ROOT, 'test/fixtures/stripe');

export function stripeFixturesDir(): string {
  if (!existsSync(join(FIXTURES, 'manifest.tsv'))) {
    throw new Error(`Stripe fixtures not found at ${FIXTURES}: the repository is incomplete`);
  }
  return FIXTURES;
}

export interface EventFixture {
  file: string;
  /** The file's text without a UTF-8 BOM: posted byte for byte. */
  body: string;
  event: { id: string; type: string; account?: string; data?: { object?: { id?: string; object?: string } } };
}

/** Every Stripe Event payload under events/ and edge-cases/, as published (ids repeat across files). */
export function loadEventFixtures(): EventFixture[] {
  const root = stripeFixturesDir();
  return ['events', 'edge-cases']
    .flatMap((folder) => walk(join(root, folder)))
    .filter((file) => file.endsWith('.json'))
    .sort()
    .flatMap((file) => {
      const body = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      const event = JSON.parse(body) as EventFixture['event'] & { object?: string };
      return event.object === 'event' ? [{ file: relative(root, file), body, event }] : [];
    });
}

/** One example object of a Stripe resource (openapi fixtures), e.g. `charge`, `subscription`. */
export function loadObjectFixture(resource: string): Record<string, unknown> {
  const file = join(stripeFixturesDir(), 'objects/stripe-openapi', `${resource}.json`);
  return JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as Record<string, unknown>;
}

/** A `Stripe-Signature` header made by the official SDK, as Stripe would send it. */
export function signWebhook(payload: string, secret: string, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp ? { timestamp } : {}) });
}

export function shuffle<T>(items: T[], seed = 42): T[] {
  // Deterministic (mulberry32), so a failure can be replayed.
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
