import type { FormParams, FormValue } from './form-body';
import { invalidRequest, obj, ok, Refusal, str, type StripeObject, type StripeReply } from './stripe-objects';

export interface ListSpec {
  /** The name in "No such <noun>: '<id>'" when a cursor is unknown. */
  noun: string;
  /** Params that keep the objects whose field of the same name equals them (an expanded object by its id). */
  fields?: readonly string[];
  /** A filter beyond field equality, such as subscriptions' `status`. */
  match?: (item: StripeObject, params: FormParams) => boolean;
  /** The objects are already in list order (held newest first): keep it instead of sorting. */
  ordered?: boolean;
}

/** Stripe's list order: newest first, and ties by id descending so that paging is deterministic. */
export function newestFirst(a: StripeObject, b: StripeObject): number {
  return Number(b.created ?? 0) - Number(a.created ?? 0) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * One page of a Stripe list: `limit` (1..100, default 10), `created` (an integer or `gt`, `gte`,
 * `lt`, `lte`), `starting_after` / `ending_before`, `has_more`. A cursor is placed by the object
 * it names even when the filters leave that object out, as Stripe does, so paging survives an
 * object changing status between two pages.
 */
export function listObjects(url: string, objects: StripeObject[], params: FormParams, spec: ListSpec): StripeReply {
  const limit = parseLimit(params.limit);
  const created = createdFilter(params.created);
  const after = str(params.starting_after);
  const before = str(params.ending_before);
  if (after && before) {
    throw new Refusal(
      invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', {
        param: 'ending_before',
      }),
    );
  }
  const all = spec.ordered ? objects : [...objects].sort(newestFirst);
  const cursorId = after ?? before;
  const cursor = cursorId === undefined ? -1 : all.findIndex((item) => item.id === cursorId);
  if (cursorId !== undefined && cursor === -1) {
    const param = after ? 'starting_after' : 'ending_before';
    throw new Refusal(invalidRequest(`No such ${spec.noun}: '${cursorId}'`, { code: 'resource_missing', param }));
  }
  const window = (after ? all.slice(cursor + 1) : before ? all.slice(0, cursor) : all).filter(
    (item) =>
      item.deleted !== true && created(item) && fieldsMatch(item, params, spec) && (spec.match?.(item, params) ?? true),
  );
  if (before) {
    // The page closest to the cursor, still newest first; what is left over is newer.
    const start = Math.max(0, window.length - limit);
    return ok({ object: 'list', data: window.slice(start), has_more: start > 0, url });
  }
  return ok({ object: 'list', data: window.slice(0, limit), has_more: window.length > limit, url });
}

/** The id of a field that may hold an id or the expanded object. */
export function idOf(value: unknown): unknown {
  return value && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : value;
}

function fieldsMatch(item: StripeObject, params: FormParams, spec: ListSpec): boolean {
  return (spec.fields ?? []).every((field) => {
    const wanted = params[field];
    return typeof wanted !== 'string' || String(idOf(item[field])) === wanted;
  });
}

function parseLimit(value: FormValue | undefined): number {
  if (value === undefined) return 10;
  const limit = integer(value, 'limit');
  if (limit < 1 || limit > 100) {
    throw new Refusal(invalidRequest('Invalid limit: must be between 1 and 100', { param: 'limit' }));
  }
  return limit;
}

const BOUNDS: Record<string, (at: number, bound: number) => boolean> = {
  gt: (at, bound) => at > bound,
  gte: (at, bound) => at >= bound,
  lt: (at, bound) => at < bound,
  lte: (at, bound) => at <= bound,
};

function createdFilter(value: FormValue | undefined): (item: StripeObject) => boolean {
  if (value === undefined) return () => true;
  if (typeof value === 'string') {
    const exactly = integer(value, 'created');
    return (item) => Number(item.created) === exactly;
  }
  const range = obj(value);
  if (!range) throw new Refusal(invalidRequest('Invalid created: must be an integer or a range', { param: 'created' }));
  const checks = Object.entries(range).map(([key, bound]) => {
    const test = BOUNDS[key];
    if (!test) {
      throw new Refusal(invalidRequest(`Received unknown parameter: created[${key}]`, { param: `created[${key}]` }));
    }
    const at = integer(bound, `created[${key}]`);
    return (item: StripeObject) => test(Number(item.created), at);
  });
  return (item) => checks.every((check) => check(item));
}

function integer(value: FormValue, param: string): number {
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) {
    throw new Refusal(invalidRequest(`Invalid integer: ${typeof value === 'string' ? value : '[object]'}`, { param }));
  }
  return Number(value);
}
