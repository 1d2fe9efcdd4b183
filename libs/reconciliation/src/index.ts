export * from './ledger/money-facts';
export * from './ledger/ledger-book';
