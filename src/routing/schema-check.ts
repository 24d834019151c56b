import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { pointerToPath } from './json-path';
import type { ValidationIssue } from './validation-result';

/**
 * A compiled TypeBox check that reports readable issues. Discriminated unions
 * (target specs by `kind`, flow nodes by `type`) would otherwise fail with
 * "expected union value" at the node; here the variant named by the
 * discriminator is checked instead, so the issue points at the bad field.
 */
export class SchemaCheck<T extends TSchema> {
  private readonly compiled: TypeCheck<T>;

  constructor(
    readonly schema: T,
    private readonly discriminators: readonly string[] = ['kind', 'type'],
  ) {
    this.compiled = TypeCompiler.Compile(schema);
  }

  /** True when the value matches the schema. */
  check(value: unknown): value is Static<T> {
    return this.compiled.Check(value);
  }

  /** Every issue of the value, paths in dotted form, at most `limit` of them. */
  issues(value: unknown, limit = 20): ValidationIssue[] {
    const out: ValidationIssue[] = [];
    const seen = new Set<string>();
    for (const error of this.compiled.Errors(value)) {
      for (const leaf of this.explain(error)) {
        const path = pointerToPath(leaf.path, value);
        const message = describe(leaf);
        const key = `${path}\u0000${message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ path, message });
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  /** Descends into the union variant that the discriminator names, if there is one. */
  private explain(error: ValueError): ValueError[] {
    if (error.type !== ValueErrorType.Union) return [error];
    const value = error.value;
    const variants = (error.schema as { anyOf?: TSchema[] }).anyOf ?? [];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [error];
    for (const key of this.discriminators) {
      const tag = (value as Record<string, unknown>)[key];
      const tagged = variants.map((v) => constOf(v, key));
      if (tagged.every((t) => t === undefined)) continue;
      const index = tagged.findIndex((t) => t === tag);
      if (index < 0) {
        const allowed = tagged.filter((t): t is string => typeof t === 'string').join(', ');
        // value: undefined keeps describe() from repeating the whole object after the message.
        return [{ ...error, type: ValueErrorType.Literal, path: `${error.path}/${key}`, value: undefined, message: `unknown ${key} ${JSON.stringify(tag)}; expected one of ${allowed}` }];
      }
      const inner = error.errors[index];
      if (!inner) return [error];
      const leaves: ValueError[] = [];
      for (const sub of inner) leaves.push(...this.explain(sub));
      return leaves.length > 0 ? leaves : [error];
    }
    return [error];
  }
}

function constOf(schema: TSchema, key: string): unknown {
  const props = (schema as { properties?: Record<string, { const?: unknown }> }).properties;
  return props?.[key]?.const;
}

function describe(error: ValueError): string {
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'is required';
    case ValueErrorType.ObjectAdditionalProperties:
      return 'is not an allowed property';
    case ValueErrorType.Union: {
      // A union of literals is an enum to the reader: name the allowed values.
      const literals = ((error.schema as { anyOf?: TSchema[] }).anyOf ?? []).map((v) => (v as { const?: unknown }).const);
      if (literals.length > 0 && literals.every((l) => typeof l === 'string')) {
        return `expected one of ${literals.join(', ')}; got ${JSON.stringify(error.value)}`;
      }
      return `expected union value; got ${JSON.stringify(error.value)}`;
    }
    default: {
      const text = error.message.charAt(0).toLowerCase() + error.message.slice(1);
      return error.value === undefined ? text : `${text}; got ${JSON.stringify(error.value)}`;
    }
  }
}
