// Placeholder until this page is built.
export function SubscriptionSearchPage() {
  return <h1>SubscriptionSearchPage</h1>;
}
