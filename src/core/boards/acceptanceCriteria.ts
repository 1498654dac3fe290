import { htmlToText } from '../htmlToText';
import { type WorkItem } from '../workItem';

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;

/**
 * A work item's acceptance criteria as plain text: Azure Boards' own field, else the section of a
 * Markdown description (a GitHub issue) headed "Acceptance criteria" (up to the next heading of
 * the same or a higher level). Undefined when the item states none.
 */
export function acceptanceCriteriaOf(item: Pick<WorkItem, 'tracker' | 'description' | 'acceptanceCriteria'>): string | undefined {
  if (item.acceptanceCriteria) {
    const text = htmlToText(item.acceptanceCriteria).trim();
    if (text) return text;
  }
  const lines = (item.tracker === 'azureBoards' ? htmlToText(item.description) : item.description).split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const heading = HEADING.exec(lines[i] ?? '') ?? (/^\s*\**\s*acceptance criteria\s*:?\s*\**\s*:?\s*$/i.test(lines[i] ?? '') ? ['', '######', 'acceptance criteria'] : null);
    if (!heading || !/^acceptance criteria\b/i.test(heading[2] ?? '')) continue;
    const level = (heading[1] ?? '').length;
    const body: string[] = [];
    for (const line of lines.slice(i + 1)) {
      const next = HEADING.exec(line);
      if (next && (next[1] ?? '').length <= level) break;
      body.push(line);
    }
    const text = body.join('\n').trim();
    if (text) return text;
  }
  return undefined;
}
