/** Reads one environment variable: undefined when unset or blank, else trimmed. */
export type Value = (name: string) => string | undefined;

/** An integer setting within [min, max]; a bad value is reported in `problems` (it is never secret). */
export function integerSetting(
  value: Value,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = value(name);
  if (raw === undefined) return fallback;
  const parsed = Number(raw);
  if (!/^\d+$/.test(raw) || parsed < min || parsed > max) {
    problems.push(`${name}: expected an integer from ${min} to ${max}, got "${raw}"`);
  }
  return parsed;
}
