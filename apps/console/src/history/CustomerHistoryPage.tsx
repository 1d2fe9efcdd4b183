// Placeholder until this page is built.
export function CustomerHistoryPage() {
  return <h1>CustomerHistoryPage</h1>;
}
