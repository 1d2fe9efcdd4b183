export default async function globalTeardown(): Promise<void> {
  await globalThis.__LEDGERLINE_TEST_POSTGRES__?.stop();
}
