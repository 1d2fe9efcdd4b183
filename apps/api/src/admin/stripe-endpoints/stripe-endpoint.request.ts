import { IsBoolean, IsIn, IsOptional, IsString } from 'class-validator';

/** `PUT /admin/stripe-endpoint`: the endpoint Ledgerline should have on the Stripe account. */
export class StripeEndpointRequest {
  /** The public URL of Ledgerline's `/webhooks/stripe`: https (http only for localhost/127.0.0.1). */
  @IsString({ message: '$property must be the https URL of /webhooks/stripe' })
  url!: string;

  /** `needed` (default): the event types the read models read; `all`: every event (`*`). */
  @IsOptional()
  @IsIn(['needed', 'all'], { message: '$property must be "needed" or "all"' })
  events?: 'needed' | 'all';

  /** Replace the endpoint for this URL by a new one when its API version is not Ledgerline's. */
  @IsOptional()
  @IsBoolean({ message: '$property must be true or false' })
  recreate?: boolean;
}
