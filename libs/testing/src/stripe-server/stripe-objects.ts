import { randomBytes } from 'node:crypto';
import type { FormParams, FormValue } from './form-body';

/** One HTTP answer in Stripe's shape, before it is written to the socket. */
export interface StripeReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type StripeObject = Record<string, unknown> & { id: string };

export const ok = (body: unknown): StripeReply => ({ status: 200, body });

export function stripeError(status: number, error: Record<string, unknown>): StripeReply {
  return { status, body: { error } };
}

export function invalidRequest(message: string, extra: Record<string, unknown> = {}, status = 400): StripeReply {
  return stripeError(status, { type: 'invalid_request_error', message, ...extra });
}

export function resourceMissing(kind: string, id: string, param?: string): StripeReply {
  return invalidRequest(`No such ${kind}: '${id}'`, { code: 'resource_missing', ...(param ? { param } : {}) }, 404);
}

export function missingParam(param: string): StripeReply {
  return invalidRequest(`Missing required param: ${param}.`, { code: 'parameter_missing', param });
}

export function isError(reply: StripeReply): boolean {
  return reply.status >= 400;
}

/** Stripe-looking ids: a prefix and 24 alphanumerics. */
export function newId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(24);
  return `${prefix}_${Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('')}`;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function str(value: FormValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function bool(value: FormValue | undefined): boolean | undefined {
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

export function int(value: FormValue | undefined): number | undefined {
  return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : undefined;
}

export function obj(value: FormValue | undefined): FormParams | undefined {
  return value !== undefined && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

export function list(value: FormValue | undefined): FormValue[] {
  return Array.isArray(value) ? value : [];
}

/** Stripe merges metadata on update: `''` for a key unsets it, `metadata=''` clears them all. */
export function mergeMetadata(current: unknown, update: FormValue | undefined): Record<string, string> {
  const merged: Record<string, string> = { ...((current ?? {}) as Record<string, string>) };
  if (update === '') return {};
  for (const [key, value] of Object.entries(obj(update) ?? {})) {
    if (value === '') delete merged[key];
    else if (typeof value === 'string') merged[key] = value;
  }
  return merged;
}

/** Thrown by a handler to answer with a Stripe error from deep inside a lookup. */
export class Refusal extends Error {
  constructor(readonly reply: StripeReply) {
    super(`Stripe test server refusal (${reply.status})`);
  }
}

/** The object of a successful reply; an error reply is passed on to the client as it is. */
export function unwrap(reply: StripeReply): StripeObject {
  if (isError(reply)) throw new Refusal(reply);
  return reply.body as StripeObject;
}
