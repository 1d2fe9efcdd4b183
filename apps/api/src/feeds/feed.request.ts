import { IsOptional } from 'class-validator';

/**
 * `GET /feed?from=&category=&type=`. `category` and `type` are comma-separated or repeated; they are
 * checked by feedFilter and `from` by feedPosition, which name the parameter in the 400.
 */
export class FeedRequest {
  @IsOptional()
  from?: string;

  @IsOptional()
  category?: string | string[];

  @IsOptional()
  type?: string | string[];
}
