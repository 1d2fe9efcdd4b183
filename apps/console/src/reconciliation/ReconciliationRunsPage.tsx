// Placeholder until this page is built.
export function ReconciliationRunsPage() {
  return <h1>ReconciliationRunsPage</h1>;
}
