// Placeholder until this page is built.
export function SubscriptionPage() {
  return <h1>SubscriptionPage</h1>;
}
