import { BadRequestException } from '@nestjs/common';
import type { EventFilter } from '@ledgerline/event-store';

const CATEGORY = /^[A-Za-z0-9_]+$/;
const TYPE_PREFIX = /^[A-Za-z0-9_.]+$/;

/**
 * `category` and `type` as the feed takes them (comma-separated, or repeated), checked: a category is
 * the part of a stream name before the first `-`; a type prefix is the start of an event type.
 */
export function feedFilter(category: string | string[] | undefined, type: string | string[] | undefined): EventFilter {
  const categories = listOf(category);
  const prefixes = listOf(type);
  const badCategory = categories.find((c) => !CATEGORY.test(c));
  if (badCategory !== undefined) {
    throw new BadRequestException([
      `category "${badCategory}" is not a stream category (letters, digits and _; the part of a stream name before the first -)`,
    ]);
  }
  const badType = prefixes.find((t) => !TYPE_PREFIX.test(t));
  if (badType !== undefined) {
    throw new BadRequestException([`type "${badType}" is not an event type prefix (letters, digits, _ and .)`]);
  }
  return {
    ...(categories.length ? { categories } : {}),
    ...(prefixes.length ? { eventTypePrefixes: prefixes } : {}),
  };
}

/**
 * A position as a client sends it (`from`, `Last-Event-ID`): a decimal integer (64-bit), `start` or
 * `end`; null when absent.
 */
export function feedPosition(name: string, raw: string | undefined): bigint | 'start' | 'end' | null {
  if (raw === undefined || raw === '') return null;
  if (raw === 'start' || raw === 'end') return raw;
  if (!/^\d{1,19}$/.test(raw) || BigInt(raw) > 9_223_372_036_854_775_807n) {
    throw new BadRequestException([`${name} must be a store position (a non-negative integer), "start" or "end"`]);
  }
  return BigInt(raw);
}

/** A start position past the head is a mistake: usually a stream revision given as a position. */
export function assertNotPastHead(from: bigint | 'start' | 'end', head: bigint): void {
  if (typeof from === 'bigint' && from > head) {
    throw new BadRequestException([
      `from (${from}) is past the store's head (${head}): positions are global, not stream revisions`,
    ]);
  }
}

function listOf(value: string | string[] | undefined): string[] {
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
