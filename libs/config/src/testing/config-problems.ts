import { ConfigError, loadConfig } from '../ledgerline-config';

/** The problems loadConfig reports for an environment; fails if it reports none. */
export function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
