import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Roles } from '@ledgerline/auth';
import { findProductLink, listProductLinks } from '@ledgerline/read-models';
import { ProductParams } from '../commands/product-link.requests';
import { PageRequest, pageOf } from '../../shared/page.request';

/** Platform products and their links to Stripe products, from the product_links read model. */
@Controller('products')
export class ProductsController {
  constructor(private readonly dataSource: DataSource) {}

  @Roles('support')
  @Get()
  list(@Query() page: PageRequest) {
    return listProductLinks(this.dataSource, pageOf(page));
  }

  @Roles('support')
  @Get(':productId')
  async find(@Param() { productId }: ProductParams) {
    const link = await findProductLink(this.dataSource, productId);
    if (!link) throw new NotFoundException(`Product "${productId}" has never been linked to a Stripe product`);
    return link;
  }
}
