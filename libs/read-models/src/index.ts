export * from './stripe-objects/stripe-objects.projector';
export * from './stripe-objects/stripe-objects.query';
export * from './stripe-objects/stripe-objects.migration';
export { allProjectors } from './all-projectors';
