/**
 * `text` with each `{name}` placeholder filled from `values`; one without a
 * value stays as written. Pure, and free of Preact, so that pure wording
 * modules (and their unit tests) can use it.
 */
export function fillPlaceholders(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
