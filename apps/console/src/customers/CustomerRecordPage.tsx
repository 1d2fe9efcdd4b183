// Placeholder until this page is built.
export function CustomerRecordPage() {
  return <h1>CustomerRecordPage</h1>;
}
