import { type Settings } from '../settings';
import { type TrackerKind } from '../workItem';
import { compileReferencePatterns, type ReferencePatternProblem } from './references';
import { compileTodoMatcher, type TodoMatcher } from './todoParser';

/** What decides which TODOs are found; plain data, so it can be sent to a worker thread. */
export interface ParserSettings {
  readonly tags: readonly string[];
  readonly defaultTracker: TrackerKind;
  /** Sources of the user's reference patterns (aiDevops.workItems.referencePatterns). */
  readonly referencePatterns: readonly string[];
}

export function parserSettingsFrom(settings: Settings): ParserSettings {
  return { tags: settings.todos.tags, defaultTracker: settings.workItems.defaultTracker, referencePatterns: settings.workItems.referencePatterns };
}

/** The matcher for these settings, and the user patterns that were left out (to tell the user). */
export function buildMatcher(settings: ParserSettings): { matcher: TodoMatcher; problems: ReferencePatternProblem[] } {
  const { patterns, problems } = compileReferencePatterns(settings.referencePatterns);
  return { matcher: compileTodoMatcher(settings.tags, { defaultTracker: settings.defaultTracker, patterns }), problems };
}

export function sameParserSettings(a: ParserSettings, b: ParserSettings): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
