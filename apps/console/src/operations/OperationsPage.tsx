// Placeholder until this page is built.
export function OperationsPage() {
  return <h1>OperationsPage</h1>;
}
