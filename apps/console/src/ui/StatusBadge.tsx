/** A status as a coloured label; the class names (status-active, ...) are in styles.css. */
export function StatusBadge({ status }: { status: string | null | undefined }) {
  if (!status) return <span className="badge">—</span>;
  return <span className={`badge status-${status.replace(/[^a-z_]/gi, '')}`}>{status.replace(/_/g, ' ')}</span>;
}
