/**
 * The CLI's argument parser: `--flag value`, `--flag=value`, boolean flags, repeated flags, `--`.
 * Deliberately small: every command declares its options, and anything else is a usage error that
 * names the offending option, so a typo never silently changes what a long run does.
 */

/** A mistake in the command line: the CLI prints it with the command's usage and exits 64. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** A usage line more precise than the command's synopsis (e.g. listing valid names). */
    readonly usage?: string,
  ) {
    super(message);
  }
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** May be given more than once; the values are collected in order. */
  multiple?: boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['multiple'] extends true
    ? string[]
    : string;

export type ParsedOptions<S extends OptionSpecs> = { [K in keyof S]?: ValueOf<S[K]> };

export interface ParsedArgs<S extends OptionSpecs> {
  positionals: string[];
  options: ParsedOptions<S>;
}

export function parseArgs<S extends OptionSpecs>(
  argv: readonly string[],
  specs: S,
  { maxPositionals = 0 }: { maxPositionals?: number } = {},
): ParsedArgs<S> {
  const positionals: string[] = [];
  const options: Record<string, string | string[] | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unknown option ${arg} (options are spelled --name)`);
    const equals = arg.indexOf('=');
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    const spec = Object.hasOwn(specs, name) ? specs[name]! : undefined;
    if (!spec) throw new UsageError(`unknown option --${name}`);
    let value: string | boolean;
    if (spec.type === 'boolean') {
      if (equals !== -1) throw new UsageError(`option --${name} takes no value`);
      value = true;
    } else if (equals !== -1) {
      value = arg.slice(equals + 1);
    } else {
      const next = argv[i + 1];
      // `--from --to 5` is a forgotten value, not a value that starts with dashes.
      if (next === undefined || next.startsWith('--')) throw new UsageError(`option --${name} needs a value`);
      value = next;
      i++;
    }
    if (spec.type === 'string' && value === '') throw new UsageError(`option --${name} needs a non-empty value`);
    if (spec.multiple) {
      options[name] = [...((options[name] as string[] | undefined) ?? []), value as string];
    } else {
      if (name in options) throw new UsageError(`option --${name} is given more than once`);
      options[name] = value;
    }
  }
  if (positionals.length > maxPositionals) {
    const extra = positionals.slice(maxPositionals);
    throw new UsageError(`unexpected argument${extra.length > 1 ? 's' : ''} ${extra.map((a) => `"${a}"`).join(' ')}`);
  }
  return { positionals, options: options as ParsedOptions<S> };
}

/** Values of a repeatable option that also accepts comma-separated lists (`--types a,b --types c`). */
export function listOption(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => value.split(',').map((item) => item.trim())).filter(Boolean);
}

/** A non-negative integer option (positions are bigints: EventStoreDB's are 64-bit log offsets). */
export function positionOption(name: string, value: string): bigint {
  if (!/^\d+$/.test(value))
    throw new UsageError(`option --${name} needs a store position (an integer >= 0), got "${value}"`);
  return BigInt(value);
}

export function integerOption(name: string, value: string, min: number, max: number): number {
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) {
    throw new UsageError(`option --${name} needs an integer from ${min} to ${max}, got "${value}"`);
  }
  return number;
}

/** `--<mode>` (e.g. `--list`) goes only with the `allowed` options: any other is a usage error naming it. */
export function onlyWith(mode: string, options: Record<string, unknown>, allowed: string[] = []): void {
  const others = Object.keys(options).filter((name) => name !== mode && !allowed.includes(name));
  if (others.length) throw new UsageError(`--${mode} does not go with ${others.map((name) => `--${name}`).join(', ')}`);
}

const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A run id (a UUID, as `--list` shows it), lower-cased. */
export function runIdOption(name: string, value: string): string {
  if (!RUN_ID.test(value))
    throw new UsageError(`option --${name} needs a run id (a UUID, as --list shows), got "${value}"`);
  return value.toLowerCase();
}
