import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@ledgerline/auth';
import { MetricsRegistry } from '@ledgerline/observability';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  /** Prometheus scrape endpoint. Public like /health: it carries counts, never payloads or secrets. */
  @Public()
  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text exposition',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  async scrape(@Res() response: Response): Promise<void> {
    response.type(this.metrics.contentType).send(await this.metrics.render());
  }
}
