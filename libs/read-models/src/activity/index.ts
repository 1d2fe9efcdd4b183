export * from './activity.projector';
export * from './activity.migration';
export * from './activity.query';
export type { ActivityKind } from './activity-entry';
