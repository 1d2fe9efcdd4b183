export * from './lease-table';
export * from './lease-coordinator';
export * from './rendezvous';
export * from './worker-leases.migration';
