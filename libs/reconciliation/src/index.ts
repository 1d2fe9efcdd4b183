export * from './ledger/money-facts';
export * from './ledger/ledger-book';
export * from './compare/balance-transactions';
export * from './compare/findings';
export * from './compare/stripe-balance';
