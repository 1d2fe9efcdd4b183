export {
  currentSchemaVersion,
  NOTIFICATION_EVENT_TYPES,
  type PlatformEventType,
  REGISTERED_PLATFORM_EVENT_TYPES,
  type Upcaster,
  type UpcasterChain,
} from './schema-registry';
export { upcastEvent, UnknownSchemaVersionError } from './upcast-event';
export { withUpcasting } from './upcasting-store';
export { type SubscriptionCancellationRequestedV1 } from './subscription-cancellation-requested.upcasters';
