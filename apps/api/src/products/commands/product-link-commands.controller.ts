import { Body, Controller, Delete, HttpCode, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  type CommandContext,
  LinkProductToStripe,
  type ProductLinkAnswer,
  type ProductUnlinkAnswer,
  UnlinkProductFromStripe,
} from '@ledgerline/commands';
import { IssuedCommand } from '../../shared/command-http';
import { CommandRoutes } from '../../shared/idempotency.interceptor';
import { LinkProductRequest, ProductParams } from './product-link.requests';

/**
 * Admins link a platform product to the Stripe product that sells it, and unlink it (docs/products.md).
 * No @Roles: admin only, as these decide which customers get what.
 */
@Controller('products')
@CommandRoutes()
export class ProductLinkCommandsController {
  constructor(private readonly commands: CommandBus) {}

  @Put(':productId/stripe-link')
  link(
    @IssuedCommand() context: CommandContext,
    @Param() { productId }: ProductParams,
    @Body() body: LinkProductRequest,
  ): Promise<ProductLinkAnswer> {
    const stripe = { stripeProductId: body.stripeProductId, stripeAccount: body.account ?? null };
    return this.commands.execute(new LinkProductToStripe(context, productId, stripe));
  }

  @Delete(':productId/stripe-link')
  @HttpCode(200)
  unlink(
    @IssuedCommand() context: CommandContext,
    @Param() { productId }: ProductParams,
  ): Promise<ProductUnlinkAnswer> {
    return this.commands.execute(new UnlinkProductFromStripe(context, productId));
  }
}
