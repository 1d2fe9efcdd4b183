export * from './position-at-time';
export * from './replay-runs';
export * from './replay-runs.migration';
export * from './replay-scope';
export * from './replayer';
