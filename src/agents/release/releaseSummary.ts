import { z } from 'zod';
import { type AgentContext } from '../runtime/context';
import { type NoteEntry } from './releaseNotes';

/**
 * A model's plain-language summary on top of the release notes. The notes are complete without
 * it: no model means no summary and no error. The answer is model output, so it is checked
 * before it is shown: the JSON shape (zod), then what a summary of these notes can say.
 */

const SummarySchema = z.object({ summary: z.string().min(1).max(1200) }).strict();

export interface ReleaseSummary {
  readonly text: string;
  /** The model that wrote it (its display name), for the notes' mark and the JSON result. */
  readonly model: string;
}

/**
 * Why a summary cannot be used, or undefined when it can: it must be prose (sentences of words),
 * must not carry links or markup a reader could follow (the notes are published as Markdown), and
 * may name only the versions and work items the release has: anything else is the model making
 * things up.
 */
export function summaryProblem(text: string, known: { readonly versions: readonly string[]; readonly workItems: readonly string[] }): string | undefined {
  const t = text.trim();
  const words = t.match(/\p{L}{2,}/gu) ?? [];
  if (words.length < 4) return 'it is not a sentence in words';
  if (/https?:\/\/|www\.|\]\(|<\/?[a-z][^>]*>/i.test(t)) return 'it contains a link or markup';
  if (/^[\s{[]/.test(t) && /[}\]]\s*$/.test(t)) return 'it is data, not prose';
  for (const v of t.match(/\bv?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?\b/g) ?? []) {
    if (!known.versions.includes(v.replace(/^v/, ''))) return `it names version ${v}, which is not this release or the last one`;
  }
  const knownItems = new Set(known.workItems.map((k) => k.toLowerCase()));
  for (const ref of t.match(/\b(?:AB#\d+|[\w.-]+\/[\w.-]+#\d+)|(?<![\w/])#\d+\b/gi) ?? []) {
    if (!knownItems.has(ref.toLowerCase())) return `it names ${ref}, which no commit in this release names`;
  }
  return undefined;
}

/** Asks the model for the summary; undefined (with a remark saying why) when there is no model or its answer cannot be used. */
export async function modelSummary(
  ctx: Pick<AgentContext, 'model'>,
  release: { readonly version: string; readonly previousVersion: string; readonly workItems: readonly string[] },
  entries: readonly NoteEntry[],
  remarks: string[],
): Promise<ReleaseSummary | undefined> {
  const model = ctx.model;
  if (!model || entries.length === 0) return undefined;
  let text: string;
  try {
    const list = entries.map((e) => `- [${e.section}] ${e.scope ? `${e.scope}: ` : ''}${e.text}`).join('\n').slice(0, 12_000);
    const answer = await model.completeJson(
      [
        { role: 'system', content: 'You write the two- or three-sentence summary on top of release notes, in plain language for the people who use the software. Mention only changes in the list; no links, no version numbers other than the release\'s. Answer as JSON {"summary": "..."}.' },
        { role: 'user', content: `Release ${release.version} (after ${release.previousVersion}). Changes:\n${list}` },
      ],
      SummarySchema,
      { schemaName: 'release_summary' },
    );
    text = answer.summary.trim();
  } catch (error) {
    remarks.push(`No generated summary: the model did not give one (${error instanceof Error ? error.message : String(error)}); the notes are complete without it.`);
    return undefined;
  }
  const problem = summaryProblem(text, { versions: [release.version, release.previousVersion], workItems: release.workItems });
  if (problem) {
    remarks.push(`No generated summary: the model's summary was not used because ${problem}; the notes are complete without it.`);
    return undefined;
  }
  return { text, model: model.info.name };
}
