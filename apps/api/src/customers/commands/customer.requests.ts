import { Type } from 'class-transformer';
import {
  IsEmail,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AddressRequest, NOT_BLANK, NOT_BLANK_MESSAGE } from '../../shared/address.request';

const PHONE = /^\+?[0-9][0-9 ().-]{5,24}$/;
const PHONE_MESSAGE = '$property must be a phone number (digits, spaces and + ( ) - . only, 6 to 25 characters)';

/** POST /customers. First and last name are required; the rest is optional. */
export class RegisterCustomerRequest {
  @IsString()
  @IsNotEmpty()
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  @MaxLength(100)
  firstName!: string;

  @IsString()
  @IsNotEmpty()
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  @MaxLength(100)
  lastName!: string;

  @IsOptional()
  @IsEmail({}, { message: '$property must be an email address' })
  @MaxLength(254)
  email?: string;

  @IsOptional()
  @Matches(PHONE, { message: PHONE_MESSAGE })
  phone?: string;

  @IsOptional()
  @IsObject() // ValidateNested passes an array ([] has nothing to check), which postalAddress cannot read
  @ValidateNested()
  @Type(() => AddressRequest)
  address?: AddressRequest;
}

/** PATCH /customers/:id. Only the fields sent change; `null` clears email, phone or address. */
export class ChangeCustomerDetailsRequest {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  @MaxLength(100)
  firstName?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  @MaxLength(100)
  lastName?: string;

  @ValidateIf((request: ChangeCustomerDetailsRequest) => request.email !== null && request.email !== undefined)
  @IsEmail({}, { message: '$property must be an email address (or null to remove it)' })
  @MaxLength(254)
  email?: string | null;

  @ValidateIf((request: ChangeCustomerDetailsRequest) => request.phone !== null && request.phone !== undefined)
  @Matches(PHONE, { message: PHONE_MESSAGE })
  phone?: string | null;

  @ValidateIf((request: ChangeCustomerDetailsRequest) => request.address !== null && request.address !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => AddressRequest)
  address?: AddressRequest | null;
}
