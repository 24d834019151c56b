import { Type, type TSchema } from '@sinclair/typebox';

/**
 * Field schemas (TypeBox) that records of every domain are built from, and
 * that the HTTP API validates with: one definition of an id, a code, a
 * timestamp, money, skill levels.
 */
// A database id (Postgres integer): larger values are refused as a bad request (400) rather than reaching SQL (issue 15: 500).
export const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
// A list's page: the offset bounded like ids, as a 20-digit one once reached SQL and came back as 500 (issue 15).
export const PageLimit = Type.Integer({ minimum: 1, maximum: 1000, default: 200 });
export const PageOffset = Type.Integer({ minimum: 0, maximum: 2_147_483_647, default: 0 });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const Timestamp = Type.String({ format: 'date-time' });
export const Code = Type.String({ pattern: '^[a-z][a-z0-9_]*$', minLength: 1, maxLength: 64 });
export const NonEmpty = (maxLength = 200) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });
export const Language = Type.String({ pattern: '^[a-z]{2}$', description: 'ISO 639-1 code, e.g. ru, en, pl, ro' });
export const Money = Type.Number({ minimum: 0, maximum: 1e12 });
export const SkillLevels = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), Type.Integer({ minimum: 1, maximum: 5 }), {
  description: 'skill name → level 1..5',
});
