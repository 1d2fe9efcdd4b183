export * from './product-links.migration';
export * from './product-links.projector';
export * from './product-links.query';
