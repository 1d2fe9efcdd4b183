/**
 * Webhook ingest: POST /webhooks/stripe on the built api (`node dist/apps/api/src/main.js`, a child
 * process) under autocannon, then the same load on @supabase/stripe-sync-engine (bench/peer-server.ts).
 * Last, the ceiling: a server that only verifies and parses (bench/verify-only-server.ts).
 * Run: npm run bench:ingest. One embedded PostgreSQL serves both, each with its own database.
 * Env: BENCH_SECONDS (10) per phase; BENCH_PRESIGN_RATE (7000) requests signed ahead per second of a
 * phase; BENCH_FRESH_OBJECTS (1) gives each event a new data.object.id too, 0 keeps the fixtures' ids.
 */
import { randomBytes } from 'node:crypto';
import { benchPostgres } from './bench-support';
import { type Fixture, loadFixtures, PEER_EVENT_TYPES, RequestPool, WebhookSigner } from './ingest-fixtures';
import { measureCpu } from './cpu-split';
import { formatLoad, type LoadOptions, type LoadResult, pacedWebhooks, postOnce, postWebhooks } from './ingest-load';
import { type BenchServer, logTail, peakRssMiB, startLedgerline, startPeer, startVerifyOnly } from './ingest-support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PRESIGN_RATE = Number(process.env.BENCH_PRESIGN_RATE ?? 7_000);
const FRESH_OBJECTS = process.env.BENCH_FRESH_OBJECTS !== '0';
const SECRET = `whsec_bench${randomBytes(16).toString('hex')}`;
const signer = new WebhookSigner(SECRET, FRESH_OBJECTS);
const delivered = new Map<string, number>(); // 2xx answers per server, warm-ups included
const count2xx = (server: BenchServer, n: number) => delivered.set(server.name, (delivered.get(server.name) ?? 0) + n);

const cleanups: (() => Promise<void>)[] = [];
async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => console.error(error));
}

/** Each request once, signed just before its phase (timestamps must stay within Stripe's 300 s). */
function signedPool(fixtures: Fixture[], count: number): RequestPool {
  return new RequestPool(signer.signMany(fixtures, Math.ceil(count)), signer, fixtures);
}

/** Closed loop (or autocannon's overallRate) for options.seconds. */
async function phase(
  server: BenchServer,
  fixtures: Fixture[],
  options: LoadOptions,
  presignRate = PRESIGN_RATE,
): Promise<LoadResult> {
  const count = options.seconds * (options.rate ? options.rate * 1.05 : presignRate) + options.connections;
  const result = await postWebhooks(server.url, signedPool(fixtures, count), options);
  count2xx(server, result.ok);
  return result;
}

async function pacedPhase(server: BenchServer, fixtures: Fixture[], rate: number): Promise<LoadResult> {
  const result = await pacedWebhooks(server.url, signedPool(fixtures, rate * SECONDS), rate, SECONDS);
  count2xx(server, result.ok);
  return result;
}

/** The fixtures a server accepts (2xx), each posted once as a new event; also warms it up. */
async function accepted(server: BenchServer, fixtures: Fixture[]): Promise<Fixture[]> {
  const ok: Fixture[] = [];
  const rejected: string[] = [];
  for (const fixture of fixtures) {
    const { status, body } = await postOnce(server.url, signer.sign(fixture));
    if (status < 200 || status >= 300) {
      rejected.push(`${fixture.file}: ${status} ${body.slice(0, 160)}`);
      continue;
    }
    ok.push(fixture);
    count2xx(server, 1);
  }
  console.log(`${server.name} accepts ${ok.length} of ${fixtures.length} fixtures`);
  for (const line of rejected.slice(0, 12)) console.log(`  rejected ${line}`);
  if (rejected.length > 12) console.log(`  ... and ${rejected.length - 12} more rejected`);
  return ok;
}

async function peerStats(peer: BenchServer) {
  const response = await fetch(`${peer.url}/stats`);
  return (await response.json()) as { stripeApiCalls: number; failed: number; errors: Record<string, number> };
}

async function started(start: () => Promise<BenchServer>): Promise<BenchServer | null> {
  try {
    const server = await start();
    cleanups.push(() => server.stop());
    return server;
  } catch (error) {
    console.log(`could not start: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

/** The scenarios on Ledgerline; returns its run on the fixtures the peer takes too (`shared`), if any. */
async function benchLedgerline(ledgerline: BenchServer, fixtures: Fixture[], shared: Fixture[]) {
  await phase(ledgerline, fixtures, { connections: 32, seconds: Math.min(2, SECONDS) }); // warm-up
  for (const connections of [1, 32, 128]) {
    const cpu = measureCpu(ledgerline.pid);
    const result = await phase(ledgerline, fixtures, { connections, seconds: SECONDS });
    console.log(formatLoad(`ledgerline, ${connections} connection(s)`, result));
    console.log(`  ${cpu.stop()}`);
  }
  const fixed = await phase(ledgerline, fixtures, { connections: 32, seconds: SECONDS, rate: 1_000 });
  console.log(formatLoad('ledgerline, 1,000/s autocannon overallRate, 32', fixed));
  console.log(formatLoad('ledgerline, 1,000/s paced open loop', await pacedPhase(ledgerline, fixtures, 1_000)));
  let comparison: LoadResult | null = null;
  if (shared.length > 0) {
    comparison = await phase(ledgerline, shared, { connections: 128, seconds: SECONDS });
    console.log(formatLoad(`ledgerline, peer's ${shared.length} fixtures, 128`, comparison));
  }
  const health = (await (await fetch(`${ledgerline.url}/health`)).json()) as { eventStore?: { headPosition?: number } };
  const head = health.eventStore?.headPosition;
  console.log(`ledgerline event store head position ${head} after ${delivered.get(ledgerline.name)} 2xx answers`);
  return comparison;
}

async function benchPeer(peer: BenchServer, fixtures: Fixture[]): Promise<LoadResult> {
  await phase(peer, fixtures, { connections: 32, seconds: Math.min(2, SECONDS) }); // warm-up
  const before = await peerStats(peer);
  const cpu = measureCpu(peer.pid);
  const result = await phase(peer, fixtures, { connections: 128, seconds: SECONDS });
  console.log(`  ${cpu.stop()}`);
  const after = await peerStats(peer);
  console.log(formatLoad(`peer, ${fixtures.length} fixtures, 128 connections`, result));
  const [calls, failed] = [after.stripeApiCalls - before.stripeApiCalls, after.failed - before.failed];
  console.log(`peer during its measured phase: ${calls} Stripe API calls, ${failed} failures`);
  if (failed > 0) console.log(`  peer errors so far: ${JSON.stringify(after.errors)}`);
  return result;
}

/**
 * The ceiling of this machine and load generator: a server that verifies and parses each webhook
 * and stores nothing (bench/verify-only-server.ts), at 128 connections.
 */
async function benchCeiling(fixtures: Fixture[]): Promise<LoadResult | null> {
  const ceiling = await started(() => startVerifyOnly(SECRET));
  if (!ceiling) return null;
  await phase(ceiling, fixtures, { connections: 32, seconds: Math.min(2, SECONDS) }); // warm-up
  const cpu = measureCpu(ceiling.pid, { server: 'verify-only server', bench: 'load generator' });
  // Signed ahead at 20,000 a second: signing during the phase would slow the load generator itself.
  const result = await phase(ceiling, fixtures, { connections: 128, seconds: SECONDS }, 20_000);
  console.log(formatLoad('ceiling: verify and parse only, nothing stored, 128', result));
  console.log(`  ${cpu.stop()}`);
  return result;
}

async function main(): Promise<void> {
  if (!(SECONDS > 0)) throw new Error(`BENCH_SECONDS must be a positive number, not ${process.env.BENCH_SECONDS}`);
  const { fixtures, skipped } = loadFixtures();
  if (fixtures.length === 0) throw new Error('no Stripe event fixtures found under test/fixtures/stripe/events');
  const peerCandidates = fixtures.filter((f) => PEER_EVENT_TYPES.has(f.type));
  console.log(
    `${fixtures.length} event fixtures (${skipped.length} files skipped), ${peerCandidates.length} of types the peer ` +
      `handles; ${SECONDS} s per phase; fresh object ids: ${FRESH_OBJECTS ? 'yes' : 'no'}`,
  );
  const postgres = await benchPostgres();
  cleanups.push(() => postgres.stop());
  const ledgerline = await started(async () => startLedgerline(await postgres.createDatabase('ledgerline'), SECRET));
  const peer = await started(async () => startPeer(await postgres.createDatabase('peer'), SECRET));

  const peerSet = peer ? await accepted(peer, peerCandidates) : [];
  const ledgerlineSet = ledgerline ? await accepted(ledgerline, fixtures) : [];
  const shared = ledgerlineSet.filter((f) => peerSet.includes(f));
  const comparison =
    ledgerline && ledgerlineSet.length > 0 ? await benchLedgerline(ledgerline, ledgerlineSet, shared) : null;
  if (ledgerline && ledgerlineSet.length === 0) {
    console.log(`ledgerline accepted no fixture; last log lines:\n${logTail(ledgerline.logFile, 8)}`);
  }
  const peerFixtures = ledgerlineSet.length > 0 ? shared : peerSet; // the same set on both, where both run
  if (peer && peerFixtures.length > 0) {
    const peerResult = await benchPeer(peer, peerFixtures);
    if (comparison) {
      console.log(`ratio ledgerline/peer ${(comparison.eventsPerSecond / peerResult.eventsPerSecond).toFixed(2)}`);
    }
  }
  const ceiling = await benchCeiling(ledgerlineSet.length > 0 ? ledgerlineSet : fixtures);
  if (ceiling && comparison) {
    console.log(`ratio ledgerline/ceiling ${(comparison.eventsPerSecond / ceiling.eventsPerSecond).toFixed(2)}`);
  }
  for (const server of [ledgerline, peer]) {
    if (server) console.log(`peak RSS ${server.name} server ${server.peakRssMiB().toFixed(0)} MiB`);
  }
  console.log(`peak RSS bench process ${peakRssMiB('self').toFixed(0)} MiB`);
}

process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
