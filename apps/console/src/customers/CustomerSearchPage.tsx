// Placeholder until this page is built.
export function CustomerSearchPage() {
  return <h1>CustomerSearchPage</h1>;
}
