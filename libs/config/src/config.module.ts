import { type DynamicModule, Global, Module } from '@nestjs/common';
import { type LedgerlineConfig } from './ledgerline-config';

export const LEDGERLINE_CONFIG = Symbol.for('ledgerline.Config');

/** Makes the validated configuration injectable everywhere (`@Inject(LEDGERLINE_CONFIG)`). */
@Global()
@Module({})
export class LedgerlineConfigModule {
  static forRoot(config: LedgerlineConfig): DynamicModule {
    return {
      module: LedgerlineConfigModule,
      providers: [{ provide: LEDGERLINE_CONFIG, useValue: config }],
      exports: [LEDGERLINE_CONFIG],
    };
  }
}
