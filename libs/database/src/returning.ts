/**
 * The rows of a `... RETURNING` statement run through TypeORM: it hands back `[rows, affected]`
 * for UPDATE and DELETE, and the rows alone for INSERT and SELECT.
 */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}
