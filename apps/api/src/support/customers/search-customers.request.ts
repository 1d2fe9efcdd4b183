import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageRequest } from '../page.request';

export class SearchCustomersRequest extends PageRequest {
  /** Matched partially and literally (no wildcards) on names, email, address, phone, company. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}
