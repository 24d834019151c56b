/**
 * The members of a server's string union, listed in the order a page shows
 * them. The union comes in as a type only (the page must not bundle server
 * code), so the list is a copy; this makes it a checked one: the compiler
 * refuses a list that misses a member the server has, or names one it has not.
 *
 * `everyMember<CallOutcome>()(['answered', …])`
 */
export function everyMember<T extends string>(): <const L extends readonly T[]>(values: L & ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> })) => L {
  return (values) => values;
}
