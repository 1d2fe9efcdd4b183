// Placeholder until this page is built.
export function SubscriptionStartPage() {
  return <h1>SubscriptionStartPage</h1>;
}
