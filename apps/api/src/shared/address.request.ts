import { IsISO31661Alpha2, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { PostalAddress } from '@ledgerline/events';

/**
 * Text that is stored trimmed must hold more than whitespace: `" "` would pass IsNotEmpty, be
 * trimmed to nothing and never show (issue 26: stored and shown, or refused). Empty text is
 * @IsNotEmpty's to refuse, so one problem gets one message.
 */
export const NOT_BLANK = /^$|\S/;
export const NOT_BLANK_MESSAGE = { message: '$property must not be blank' };

/** A postal address as support enters it; Stripe's address fields, camelCased. */
export class AddressRequest {
  @IsString()
  @IsNotEmpty()
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  @MaxLength(200)
  line1!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  line2?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  @MaxLength(100)
  city?: string;

  /** Province or state. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  @MaxLength(100)
  state?: string;

  @IsISO31661Alpha2({ message: '$property must be a two-letter ISO 3166-1 country code, e.g. "US"' })
  country!: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  @MaxLength(20)
  postalCode?: string;
}

export function postalAddress(request: AddressRequest): PostalAddress {
  return {
    line1: request.line1.trim(),
    line2: request.line2?.trim() || null,
    city: request.city?.trim() ?? null,
    state: request.state?.trim() ?? null,
    country: request.country.toUpperCase(),
    postalCode: request.postalCode?.trim() ?? null,
  };
}
