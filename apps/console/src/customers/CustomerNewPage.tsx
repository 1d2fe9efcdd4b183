// Placeholder until this page is built.
export function CustomerNewPage() {
  return <h1>CustomerNewPage</h1>;
}
