import { STRING_MAX_LENGTH, sampleValue, type EntitySpec, type FieldSpec } from '../../entities';

/** How each field type is spelled in the Python libraries the templates use. */

export function pythonLiteral(value: string | number | boolean | null): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** A dict literal of sample values, one key per line. */
export function pythonSample(entity: EntitySpec, variant: 'create' | 'update', indent: string, only?: (f: FieldSpec) => boolean): string {
  const fields = entity.fields.filter(only ?? (() => true));
  return `{\n${fields.map((f) => `${indent}    ${JSON.stringify(f.name)}: ${pythonLiteral(sampleValue(f, variant))},`).join('\n')}\n${indent}}`;
}

const PY_TYPES: Readonly<Record<FieldSpec['type'], string>> = { string: 'str', text: 'str', integer: 'int', number: 'float', boolean: 'bool' };

/** pydantic field for create (required as declared) or update (everything optional). */
export function pydanticField(field: FieldSpec, mode: 'create' | 'update'): string {
  const type = PY_TYPES[field.type];
  const limits = field.type === 'string' ? `, min_length=1, max_length=${STRING_MAX_LENGTH}` : '';
  if (mode === 'create' && field.required) return limits ? `${field.name}: ${type} = Field(...${limits})` : `${field.name}: ${type}`;
  return limits ? `${field.name}: Optional[${type}] = Field(None${limits})` : `${field.name}: Optional[${type}] = None`;
}

const SA_TYPES: Readonly<Record<FieldSpec['type'], string>> = {
  string: `Unicode(${STRING_MAX_LENGTH})`,
  text: 'UnicodeText',
  integer: 'Integer',
  number: 'Float',
  boolean: 'Boolean',
};

export const sqlalchemyTypeNames = (entities: readonly EntitySpec[]): string[] =>
  [...new Set(entities.flatMap((e) => e.fields.map((f) => SA_TYPES[f.type].replace(/\(.*$/, ''))))].sort();

export function sqlalchemyColumn(field: FieldSpec): string {
  return `${field.name} = Column(${SA_TYPES[field.type]}, nullable=${field.required ? 'False' : 'True'})`;
}

const DJANGO_MODEL_FIELDS: Readonly<Record<FieldSpec['type'], string>> = {
  string: 'CharField',
  text: 'TextField',
  integer: 'IntegerField',
  number: 'FloatField',
  boolean: 'BooleanField',
};

/** A Django model field, spelled as makemigrations writes it (keyword arguments sorted), so models.py and the migration agree. */
export function djangoModelField(field: FieldSpec): string {
  const args: string[] = [];
  if (!field.required) args.push('blank=True');
  if (field.type === 'string') args.push(`max_length=${STRING_MAX_LENGTH}`);
  if (!field.required) args.push('null=True');
  return `models.${DJANGO_MODEL_FIELDS[field.type]}(${args.join(', ')})`;
}

const DRF_FIELDS: Readonly<Record<FieldSpec['type'], string>> = {
  string: 'CharField',
  text: 'CharField',
  integer: 'IntegerField',
  number: 'FloatField',
  boolean: 'BooleanField',
};

/** A DRF serializer field for the document stores (MongoDB, in-memory), which have no model to derive one from. */
export function drfSerializerField(field: FieldSpec): string {
  const args: string[] = [];
  if (field.type === 'string') args.push(`max_length=${STRING_MAX_LENGTH}`);
  if (!field.required) args.push('required=False', 'allow_null=True');
  if (!field.required && (field.type === 'string' || field.type === 'text')) args.push('allow_blank=True');
  return `${field.name} = serializers.${DRF_FIELDS[field.type]}(${args.join(', ')})`;
}
