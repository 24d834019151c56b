import { Type } from '@sinclair/typebox';

export { Code, Id, Language, Money, NonEmpty, Nullable, SkillLevels, Timestamp } from '../../platform/field-schemas';
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const Paging = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
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
