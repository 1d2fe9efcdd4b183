import { useCallback, useState } from 'react';
import { ErrorMessage } from '../ui/ErrorMessage';

export type Feedback = { notice: string } | { error: unknown } | null;

/**
 * Runs an operator's action and keeps what came of it: a notice saying what was done, or the API's
 * refusal as it worded it (409: the event still fails, a rebuild is already active...). `after`
 * runs either way, so the tables show the state the action left behind.
 */
export function useAction(after: () => void) {
  const [feedback, setFeedback] = useState<Feedback>(null);
  const run = useCallback(
    async (work: () => Promise<unknown>, done: string) => {
      setFeedback(null);
      try {
        await work();
        setFeedback({ notice: done });
      } catch (error) {
        setFeedback({ error });
      } finally {
        after();
      }
    },
    [after],
  );
  return { feedback, run, clear: () => setFeedback(null) };
}

export function ActionFeedback({ feedback, onDismiss }: { feedback: Feedback; onDismiss(): void }) {
  if (!feedback) return null;
  return (
    <div className="action-feedback">
      {'notice' in feedback ? (
        <p role="status" className="notice">
          {feedback.notice}
        </p>
      ) : (
        <ErrorMessage error={feedback.error} />
      )}
      <button type="button" className="link" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
