/**
 * A deterministic value that satisfies a JSON Schema: what the stand-ins answer when structured
 * output is asked for and no scripted reply fits. Handles the subset zod's toJSONSchema and the SDKs
 * emit (type, properties, required, items, enum, const, anyOf/oneOf, minItems, minimum, format).
 */
type Schema = Record<string, unknown>;

const asSchema = (v: unknown): Schema => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Schema) : {});

export function instanceOf(schemaIn: unknown, hint = 'value', depth = 0): unknown {
  const schema = asSchema(schemaIn);
  if (depth > 12) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const variants = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(variants) && variants.length > 0) {
    const nonNull = variants.find((v) => asSchema(v).type !== 'null') ?? variants[0];
    return instanceOf(nonNull, hint, depth + 1);
  }
  const type = Array.isArray(schema.type) ? (schema.type as unknown[]).find((t) => t !== 'null') : schema.type;
  switch (type ?? (schema.properties ? 'object' : schema.items ? 'array' : 'string')) {
    case 'object': {
      const props = asSchema(schema.properties);
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(props)) out[key] = instanceOf(sub, key, depth + 1);
      return out;
    }
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 1;
      return Array.from({ length: Math.max(min, 1) }, (_, i) => instanceOf(schema.items, `${hint}${i + 1}`, depth + 1));
    }
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default: {
      if (schema.format === 'date-time') return '2026-01-01T00:00:00.000Z';
      if (schema.format === 'date') return '2026-01-01';
      if (schema.format === 'uri' || schema.format === 'url') return 'https://example.com/';
      if (schema.format === 'email') return 'sandbox.user@example.com';
      const text = `sample ${hint}`;
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
      return text.padEnd(min, '.');
    }
  }
}
