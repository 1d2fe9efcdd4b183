import { IsIn, IsInt, IsOptional, Min } from 'class-validator';

export const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

/** POST /payments/:id/refund. Without `amount`, all that is left is refunded. */
export class RefundPaymentRequest {
  /** Minor units (cents). */
  @IsOptional()
  @IsInt()
  @Min(1)
  amount?: number;

  @IsOptional()
  @IsIn(REFUND_REASONS, { message: `$property must be one of ${REFUND_REASONS.join(', ')}` })
  reason?: (typeof REFUND_REASONS)[number];
}
