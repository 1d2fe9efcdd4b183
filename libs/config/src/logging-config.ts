import type { Value } from './config-values';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'json' | 'pretty';

export interface LoggingConfig {
  /** The lowest level written; `silent` writes nothing. */
  level: LogLevel;
  /** null: pretty when stdout is a terminal, JSON otherwise. */
  format: LogFormat | null;
}

/** LOG_LEVEL, LOG_FORMAT. */
export function parseLoggingConfig(value: Value, problems: string[]): LoggingConfig {
  const level = (value('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    problems.push(`LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${value('LOG_LEVEL')}"`);
  }
  const format = value('LOG_FORMAT')?.toLowerCase() ?? null;
  if (format !== null && format !== 'json' && format !== 'pretty') {
    problems.push(`LOG_FORMAT: expected "json" or "pretty", got "${value('LOG_FORMAT')}"`);
  }
  return {
    level: (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : 'info',
    format: format === 'json' || format === 'pretty' ? format : null,
  };
}
