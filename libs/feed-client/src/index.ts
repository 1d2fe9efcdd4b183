export { FeedClient, type FeedClientOptions } from './feed-client';
export type { EventHandler, ReconnectInfo, SubscribeOptions, Subscription } from './subscription';
export { ConsumerGroup } from './consumer-group';
export { GroupWorker, type ConsumeOptions, type DeliveryHandler } from './group-worker';
export { type CheckpointStore, fileCheckpoint, type FileCheckpointOptions, memoryCheckpoint } from './checkpoint';
export {
  CheckpointError,
  FeedConnectionError,
  FeedHttpError,
  HandlerError,
  isRetryable,
  PermanentError,
} from './errors';
export type { BackoffOptions } from './backoff';
export type { FetchLike } from './http';
export { SseParser, type SseMessage } from './sse-parser';
export type {
  Delivery,
  FeedEvent,
  FeedEventMetadata,
  GroupInfo,
  GroupSettings,
  ParkedDelivery,
  Position,
  StartFrom,
} from './types';
