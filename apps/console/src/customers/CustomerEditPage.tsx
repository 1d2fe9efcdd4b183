// Placeholder until this page is built.
export function CustomerEditPage() {
  return <h1>CustomerEditPage</h1>;
}
