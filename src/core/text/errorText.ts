/** The text of a thrown value, for problems, replies and messages. */

/** An Error's message; anything else thrown (a string, a number, undefined) as String() writes it. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
