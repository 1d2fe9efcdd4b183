import { Module } from '@nestjs/common';
import { CommandsModule } from '@ledgerline/commands';
import { CommandInterceptor } from '../shared/idempotency.interceptor';
import { CatalogController } from './catalog/catalog.controller';
import { ProductLinkCommandsController } from './commands/product-link-commands.controller';
import { ProductsController } from './queries/products.controller';

/** The catalog (`/prices`, `/coupons`), `/products` and their Stripe links (commands). */
@Module({
  imports: [CommandsModule],
  controllers: [CatalogController, ProductsController, ProductLinkCommandsController],
  providers: [CommandInterceptor],
})
export class ProductsModule {}
