import {
  BadGatewayException,
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpStatus,
  Inject,
  Put,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { Response } from 'express';
import Stripe from 'stripe';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import {
  createStripeClient,
  endpointRequestOf,
  EndpointRequestError,
  EndpointVersionMismatchError,
  endpointView,
  ensureWebhookEndpoint,
  LEDGERLINE_EVENT_TYPES,
  listWebhookEndpoints,
  PINNED_API_VERSION,
} from '@ledgerline/stripe';
import { StripeEndpointRequest } from './stripe-endpoint.request';

/**
 * The Stripe account's webhook endpoints (docs/architecture.md): list them, and create or update
 * Ledgerline's, as `ledgerline stripe-endpoint` does. No @Roles: admin only (it can point the
 * account's webhooks anywhere, and answers a signing secret).
 */
@Controller('admin')
export class StripeEndpointsAdminController {
  constructor(@Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig) {}

  /** Every endpoint of the account (never a secret), and what Ledgerline would subscribe to. */
  @Get('stripe-endpoints')
  async list() {
    const endpoints = await this.call((stripe) => listWebhookEndpoints(stripe));
    return {
      data: endpoints.map(endpointView),
      apiVersion: PINNED_API_VERSION,
      neededEventTypes: [...LEDGERLINE_EVENT_TYPES],
    };
  }

  /**
   * Creates (201, with the signing secret: the only time it is shown) or brings up to date (200,
   * `updated` or `unchanged`) the endpoint for `url`.
   */
  @Put('stripe-endpoint')
  async ensure(@Body() body: StripeEndpointRequest, @Res({ passthrough: true }) response: Response) {
    let request;
    try {
      request = endpointRequestOf({ url: body.url, events: body.events });
    } catch (error) {
      if (error instanceof EndpointRequestError) throw new BadRequestException([`${error.field} ${error.message}`]);
      throw error;
    }
    const result = await this.call((stripe) => ensureWebhookEndpoint(stripe, request, { recreate: body.recreate }));
    if (result.outcome === 'created' || result.outcome === 'recreated') response.status(HttpStatus.CREATED);
    return result;
  }

  private async call<T>(work: (stripe: Stripe) => Promise<T>): Promise<T> {
    const { apiKey, apiBase } = this.config.stripe;
    if (!apiKey) {
      throw new ServiceUnavailableException(
        'STRIPE_API_KEY is not set: it names the Stripe account whose webhook endpoints this manages',
      );
    }
    try {
      return await work(createStripeClient({ apiKey, apiBase, maxNetworkRetries: 2 }));
    } catch (error) {
      if (error instanceof EndpointVersionMismatchError) throw new ConflictException(error.message);
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 400) {
        throw new BadRequestException([`Stripe refused the request: ${error.message}`]);
      }
      if (error instanceof Stripe.errors.StripeError) {
        throw new BadGatewayException(`Stripe answered ${error.statusCode ?? 'nothing'}: ${error.message}`);
      }
      throw error;
    }
  }
}
