import { Type, type SchemaOptions, type TUnsafe } from '@sinclair/typebox';

import { Id, PageLimit, PageOffset } from '../../platform/field-schemas';

export { Code, Id, Language, Money, NonEmpty, Nullable, PageLimit, PageOffset, SkillLevels, Timestamp } from '../../platform/field-schemas';
export const IdParams = Type.Object({ id: Id });

export const Paging = Type.Object({
  limit: Type.Optional(PageLimit),
  offset: Type.Optional(PageOffset),
});

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Array(Type.Object({ path: Type.Optional(Type.String()), line: Type.Optional(Type.Integer()), message: Type.String() }))),
    }),
  },
  { $id: 'ErrorBody' },
);

/**
 * A string that is one of `values`: typed as their union for the browser
 * apps and listed in the API docs, but serialised as a plain string. A
 * `Type.Union` of literals would make fast-json-stringify test every branch
 * and throw (500) on a value added later to the database before the code.
 */
export function StringEnum<const T extends string>(values: readonly T[], options: SchemaOptions = {}): TUnsafe<T> {
  return Type.Unsafe<T>({ ...options, type: 'string', enum: [...values] });
}

/** An instant in epoch milliseconds (the ACD's and the live views' clock), not an ISO string. */
export const EpochMs = Type.Number({ description: 'epoch milliseconds' });

/** A 204: no body at all (typed `undefined` so that `reply.code(204).send()` takes nothing). */
export const NoContent = Type.Unsafe<undefined>({ description: 'no content' });

/**
 * A file sent as it is (a WAV, a certificate, a page): documented, never
 * serialised — fastify writes a stream, a Buffer or a string without a schema.
 */
export const FileBody = (description: string): TUnsafe<unknown> => Type.Unsafe<unknown>({ type: 'string', format: 'binary', description });

/** Text sent as it is (metrics, a page): documented, never serialised, like FileBody. */
export const TextBody = (description: string): TUnsafe<unknown> => Type.Unsafe<unknown>({ type: 'string', description });
