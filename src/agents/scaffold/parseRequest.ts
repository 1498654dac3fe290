import { z } from 'zod';
import { type ChatModel } from '../../core/ai/chatModel';
import { EntitySpecSchema } from './entities';
import { DATABASES, isBackend, TEMPLATES, type Database, type Template } from './options';
import { slugFor, type ScaffoldInput } from './input';
import { workItemMentions } from '../../core/chat/workItemArgument';

/** The work item a sentence names (`for AB#12`, `#12`, `octo/app#12`, a work item URL), as written; the agent reads it with the default tracker. */
function workItemIn(sentence: string): string | undefined {
  for (const m of sentence.matchAll(/\bAB#\d+\b|\b[\w.-]+\/[\w.-]+#\d+\b|(?<![\w/#])#\d+\b|\bGH-\d+\b|https?:\/\/\S+/gi)) {
    const text = m[0].replace(/[),.;:!?]+$/, '');
    if (workItemMentions(text, 'azureBoards').length > 0) return text;
  }
  return undefined;
}

/**
 * "@devops /scaffold an orders API in FastAPI with PostgreSQL" into the scaffold input. Keywords
 * first (always, no model needed); with a model, the sentence is also read for entities and a
 * name, and the model's answer is parsed with zod and checked against the keywords: a template or
 * database the sentence names wins over the model's guess.
 */
const TEMPLATE_WORDS: readonly [RegExp, Template][] = [
  [/\bfast\s*api\b/i, 'fastapi'],
  [/\bflask\b/i, 'flask'],
  [/\bdjango\b/i, 'django'],
  [/\bexpress\b|\bnode(?:\.js|js)?\s+(?:api|backend|server)\b/i, 'express'],
  [/\breact\b/i, 'react'],
  [/\bvue\b/i, 'vue'],
];
const DATABASE_WORDS: readonly [RegExp, Database][] = [
  [/\bpostgre(?:s|sql)?\b|\bpg\b/i, 'postgres'],
  [/\bsql\s*server\b|\bmssql\b|\bazure sql\b/i, 'sqlserver'],
  [/\bmongo(?:db)?\b|\bcosmos\b/i, 'mongodb'],
  [/\bsqlite\b/i, 'sqlite'],
  [/\bno (?:database|db)\b|\bwithout (?:a )?(?:database|db)\b/i, 'none'],
];

export interface UnderstoodScaffold {
  readonly input: ScaffoldInput;
  readonly understood: readonly string[];
}

function keywordInput(sentence: string): { template?: Template; database?: Database; name?: string } {
  const template = TEMPLATE_WORDS.find(([re]) => re.test(sentence))?.[1];
  const database = DATABASE_WORDS.find(([re]) => re.test(sentence))?.[1];
  // "an orders API", "a todo app", "called billing-service", "named shop"
  const named = /\b(?:called|named)\s+["'`]?([A-Za-z][\w-]{1,48})/i.exec(sentence)?.[1];
  const described = /\b(?:an?|the)\s+([A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)?)\s+(api|app|service|backend|frontend|site|dashboard)\b/i.exec(sentence);
  const raw = named ?? (described ? `${described[1]!.replace(/\b(?:fast\s*api|flask|django|express|react|vue|new|simple|small)\b/gi, '').trim()} ${described[2]}`.trim() : undefined);
  const name = raw ? slugFor(raw) : undefined;
  return { ...(template ? { template } : {}), ...(database ? { database } : {}), ...(name && name !== 'my-project' ? { name } : {}) };
}

const ModelAnswerSchema = z
  .object({
    template: z.enum(TEMPLATES).nullable(),
    database: z.enum(DATABASES).nullable(),
    name: z.string().nullable(),
    entities: z.array(EntitySpecSchema).max(10),
  })
  .strict();

const SYSTEM = [
  'You turn a request for a new software project into JSON: {"template", "database", "name", "entities"}.',
  `template: one of ${TEMPLATES.join(', ')}, or null when the request names none.`,
  `database: one of ${DATABASES.join(', ')}, or null.`,
  'name: a short lower-case slug for the project (letters, digits, single hyphens), or null.',
  'entities: the domain objects the request describes, each {"name": PascalCase, "fields": [{"name": snake_case, "type": "string"|"text"|"integer"|"number"|"boolean", "required": true|false}]}; [] when none are described. Never add an "id" field.',
  'Answer with the JSON object only.',
].join('\n');

export async function parseScaffoldRequest(sentence: string, model: ChatModel | undefined, signal: AbortSignal): Promise<{ ok: true; value: UnderstoodScaffold } | { ok: false; message: string }> {
  const keywords = keywordInput(sentence);
  let fromModel: z.infer<typeof ModelAnswerSchema> | undefined;
  let modelNote: string | undefined;
  if (model && sentence.trim().length > 0) {
    try {
      fromModel = await model.completeJson([{ role: 'system', content: SYSTEM }, { role: 'user', content: sentence }], ModelAnswerSchema, { signal, schemaName: 'scaffold_request', temperature: 0 });
    } catch (error) {
      if (signal.aborted) throw error;
      modelNote = `the model's answer could not be used (${error instanceof Error ? error.message : String(error)}), so the sentence was read by keywords`;
    }
  }
  const template = keywords.template ?? fromModel?.template ?? undefined;
  if (!template) {
    return {
      ok: false,
      message: `Which kind of project? Name one of ${TEMPLATES.join(', ')}, e.g. \`/scaffold an orders API in FastAPI with PostgreSQL\`, or use **AI DevOps: Scaffold Project…** to pick from a list.`,
    };
  }
  const database = keywords.database ?? fromModel?.database ?? undefined;
  const modelName = fromModel?.name ? slugFor(fromModel.name) : undefined;
  const name = keywords.name ?? (modelName && modelName !== 'my-project' ? modelName : undefined);
  // Front ends have no entities: the model's are set aside rather than failing the request.
  const entities = fromModel?.entities.length && isBackend(template) ? fromModel.entities : undefined;
  const workItem = workItemIn(sentence);
  const input: ScaffoldInput = {
    ...(workItem ? { workItem } : {}),
    template,
    ...(database ? { database } : {}),
    ...(name ? { name, folder: name } : {}),
    ...(entities ? { entities, entitiesFromModel: true } : {}),
  };
  const understood = [
    `template ${template}`,
    ...(database ? [`database ${database}`] : []),
    ...(name ? [`project ${name} in the folder ${name}/`] : ['in this folder']),
    ...(entities ? [`entities ${entities.map((e) => e.name).join(', ')} (kept only if the generated project's own tests pass with them)`] : []),
    ...(workItem ? [`linked to ${workItem} (branch, commit, pull request, wiki page or comment)`] : []),
    ...(modelNote ? [modelNote] : []),
  ];
  return { ok: true, value: { input, understood } };
}
