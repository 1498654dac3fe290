import { type ChatAnswer } from '../../core/chat/chatOutput';

/** A suggestion shown under an answer; clicking it sends `prompt` with `command` to @devops. */
export interface FollowupSuggestion {
  readonly prompt: string;
  readonly label: string;
  readonly command?: string;
}

/** What to ask next, from what the answer was about. */
export function followupsFor(answer: ChatAnswer): FollowupSuggestion[] {
  if (answer.error === 'cancelled') return [];
  const item = answer.workItems?.[0];
  switch (answer.command) {
    case 'status':
      return [
        ...(item ? [{ prompt: item, command: 'workitem', label: `Show ${item}` }] : []),
        { prompt: '', command: 'git', label: 'Git status' },
        { prompt: 'what happened today', command: 'audit', label: 'What happened today?' },
      ];
    case 'workitem':
      return item
        ? [
            { prompt: `branch ${item}`, command: 'git', label: `Branch for ${item}` },
            { prompt: `commit ${item}`, command: 'git', label: `Commit message for ${item}` },
            { prompt: `what changed ${item}`, command: 'audit', label: `Audit trail of ${item}` },
          ]
        : [{ prompt: '', command: 'status', label: 'My work items' }];
    case 'git':
      return [
        { prompt: item ? `commit ${item}` : 'commit', command: 'git', label: 'Draft a commit message' },
        ...(item ? [{ prompt: item, command: 'workitem', label: `Show ${item}` }] : [{ prompt: '', command: 'status', label: 'My work items' }]),
      ];
    case 'audit':
      return [
        { prompt: 'what did the agents do today', command: 'audit', label: 'What did the agents do today?' },
        ...(item ? [{ prompt: item.replace(/^#/, ''), command: 'workitem', label: `Show work item ${item}` }] : []),
      ];
    default:
      return answer.error ? [{ prompt: '', command: 'status', label: 'Show my status' }] : item ? [{ prompt: item, command: 'workitem', label: `Show ${item}` }] : [];
  }
}
