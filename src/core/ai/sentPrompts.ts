import { type ChatMessage } from './messages';

/** One request as it left the extension (after redaction): what "Show What Was Sent" displays. */
export interface SentPrompt {
  readonly at: string;
  readonly provider: string;
  readonly model: string;
  readonly endpoint: string;
  /** False only for a local model the user exempted from redaction. */
  readonly redacted: boolean;
  /** How many messages redaction changed. */
  readonly messagesChanged: number;
  readonly messages: readonly ChatMessage[];
  readonly tools: readonly string[];
  /** Answered from the response cache: nothing left the machine. */
  readonly fromCache: boolean;
}

/** The last few requests, in memory only: the user's own view of what the extension sent. */
export class SentPromptLog {
  private readonly entries: SentPrompt[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly capacity = 50) {}

  record(entry: Omit<SentPrompt, 'at'> & { readonly at?: string }): void {
    this.entries.push({ ...entry, at: entry.at ?? new Date().toISOString() });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    this.listeners.forEach((l) => l());
  }

  list(): readonly SentPrompt[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries.length = 0;
    this.listeners.forEach((l) => l());
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}

const fence = (text: string): string => {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}text\n${text}\n${ticks}`;
};

function renderMessage(m: ChatMessage): string {
  switch (m.role) {
    case 'tool':
      return `**tool result** (${m.name}, call ${m.toolCallId})\n\n${fence(m.content)}`;
    case 'assistant': {
      const calls = (m.toolCalls ?? []).map((c) => `- calls \`${c.name}\` with ${fence(JSON.stringify(c.arguments, null, 2))}`).join('\n');
      return `**assistant**\n\n${m.content ? fence(m.content) : ''}${calls ? `\n${calls}` : ''}`;
    }
    default:
      return `**${m.role}**\n\n${fence(m.content)}`;
  }
}

/** Markdown for the read-only "what was sent" document, newest first. */
export function renderSentPrompts(entries: readonly SentPrompt[]): string {
  if (entries.length === 0) return '# Prompts sent to language models\n\nNothing has been sent in this session yet.\n';
  const sections = [...entries].reverse().map((e) => {
    const status = e.fromCache
      ? 'answered from the response cache (nothing was sent)'
      : e.redacted
        ? `redacted before sending (${e.messagesChanged} message${e.messagesChanged === 1 ? '' : 's'} changed)`
        : 'sent without redaction (local model, "aiDevops.ai.redactForLocalModels" is off)';
    const toolLine = e.tools.length ? `\n- tools offered: ${e.tools.map((t) => `\`${t}\``).join(', ')}` : '';
    return `## ${e.at} · ${e.provider} · ${e.model}\n\n- endpoint: ${e.endpoint}\n- ${status}${toolLine}\n\n${e.messages.map(renderMessage).join('\n\n')}`;
  });
  return `# Prompts sent to language models\n\nThe last ${entries.length} request${entries.length === 1 ? '' : 's'} of this session, newest first, exactly as sent (after redaction).\n\n${sections.join('\n\n---\n\n')}\n`;
}
