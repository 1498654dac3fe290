import { addressFromReferenceArgument } from './commandTarget';

type Node = { kind?: unknown; item?: { id?: unknown; number?: unknown; tracker?: unknown; repository?: unknown; contentType?: unknown } };

/**
 * The work item an agent command was started from, as text the agent reads (`AB#12`,
 * `owner/repo#12`): a node of the Azure Boards tree (`{ kind: 'item', item }`) or of the GitHub
 * Projects tree (`{ kind: 'projectItem', item }`, not a draft), or the argument of a TODO lens or
 * hover (`{ reference, key }`). Undefined for anything else (the palette, a ready-made input).
 */
export function workItemFromArgument(arg: unknown): string | undefined {
  const node = typeof arg === 'object' && arg !== null ? (arg as Node) : undefined;
  const item = node?.item;
  const repository = typeof item?.repository === 'string' && item.repository ? item.repository : undefined;
  if (node?.kind === 'item' && typeof item?.id === 'number') {
    return item.tracker === 'azureBoards' ? `AB#${item.id}` : repository ? `${repository}#${item.id}` : `#${item.id}`;
  }
  if (node?.kind === 'projectItem' && typeof item?.number === 'number' && item.contentType !== 'draft') return repository ? `${repository}#${item.number}` : `#${item.number}`;
  const address = addressFromReferenceArgument(arg);
  if (!address) return undefined;
  return address.tracker === 'azureBoards' ? `AB#${address.id}` : address.repository ? `${address.repository}#${address.id}` : `#${address.id}`;
}
