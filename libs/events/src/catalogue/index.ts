export * from './stripe-event-types';
export * from './event-routing';
