// Placeholder until this page is built.
export function ReconciliationRunPage() {
  return <h1>ReconciliationRunPage</h1>;
}
