/**
 * JSON text to be stored exactly as given (a Stripe webhook body, byte for byte), with its parsed
 * value for whoever needs to look inside. Only `RawJson.parse` makes one, so the text is always
 * valid JSON and the store can skip re-serialising and re-checking it.
 */
export class RawJson {
  private constructor(
    readonly text: string,
    readonly value: unknown,
  ) {}

  static parse(text: string): RawJson {
    return new RawJson(text, JSON.parse(text));
  }
}
