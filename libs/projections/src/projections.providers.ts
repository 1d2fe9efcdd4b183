import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PROJECTORS, type Projector } from './projector';
import { ProjectionStore } from './projection-store';

/** The engine's injectables, for the worker (which runs projections) and the api (which reports on them). */
export function projectionProviders(projectors: () => Projector[]): Provider[] {
  return [
    {
      provide: ProjectionStore,
      useFactory: (dataSource: DataSource) => new ProjectionStore(dataSource),
      inject: [DataSource],
    },
    { provide: PROJECTORS, useFactory: projectors },
  ];
}
