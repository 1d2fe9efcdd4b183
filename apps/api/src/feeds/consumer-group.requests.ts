import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
const NAME_MESSAGE = '$property must be 1 to 100 letters, digits, _, ., : or - (starting with a letter or digit)';

/** `POST /feed/groups`. */
export class CreateConsumerGroupRequest {
  @Matches(NAME, { message: NAME_MESSAGE })
  name!: string;

  /** Stream categories (alternatives); with `eventTypePrefixes`, both must match. */
  @IsOptional()
  @IsArray()
  @Matches(/^[A-Za-z0-9_]+$/, {
    each: true,
    message: 'each of $property must be a stream category (letters, digits, _)',
  })
  categories?: string[];

  @IsOptional()
  @IsArray()
  @Matches(/^[A-Za-z0-9_.]+$/, {
    each: true,
    message: 'each of $property must be an event type prefix (letters, digits, _, .)',
  })
  eventTypePrefixes?: string[];

  /** `start` (default), `end`, or a store position (exclusive), as a decimal string. */
  @IsOptional()
  @Matches(/^(start|end|\d{1,19})$/, { message: '$property must be "start", "end" or a store position' })
  from?: string;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  ackTimeoutMs?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxDeliveries?: number;
}

/** A member of a group, as it names itself (one per process or worker of the consuming service). */
export class MemberRequest {
  @Matches(NAME, { message: NAME_MESSAGE })
  member!: string;
}

/** `POST /feed/groups/:name/receive`: up to `max` events, waiting up to `waitMs` for the first. */
export class ReceiveRequest extends MemberRequest {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  max?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30_000)
  waitMs?: number;
}

export class AckRequest extends MemberRequest {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true, message: 'each of $property must be an event id (uuid)' })
  eventIds!: string[];
}

export class NackRequest extends MemberRequest {
  @IsUUID('all', { message: '$property must be an event id (uuid)' })
  eventId!: string;

  /** Park at once instead of retrying. */
  @IsOptional()
  @IsBoolean()
  park?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(1_000)
  reason?: string;
}

export class ReplayParkedRequest {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true, message: 'each of $property must be an event id (uuid)' })
  eventIds?: string[];
}

/** `GET /feed/groups/:name/stream?member=&max=`. */
export class GroupStreamRequest extends MemberRequest {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  max?: number;
}
