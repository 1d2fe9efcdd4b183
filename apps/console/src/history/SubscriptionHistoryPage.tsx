// Placeholder until this page is built.
export function SubscriptionHistoryPage() {
  return <h1>SubscriptionHistoryPage</h1>;
}
