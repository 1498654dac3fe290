import { type AuditEvent, type AuditInput } from '../../../../src/core/audit/event';
import { type AuditSink } from '../../../../src/core/audit/sink';
import { type Credential, type CredentialRefresh } from '../../../../src/core/host';
import { createAzureBoardsTracker, type AzureBoardsTracker } from '../../../../src/providers/boards/azureBoards';
import { FileOutbox } from '../../../../src/providers/boards/outbox/fileOutbox';
import { SANDBOX_CREDENTIALS, SANDBOX_PROJECT } from '../../../../src/sandbox/identity';
import { FakeLogger } from '../../fakes/fakeLogger';
import { type Harness } from '../../sandbox/azureDevOps/harness';

/** Shared by the Azure Boards, resolver and audit mirror tests: a tracker on the stand-in with a real outbox. */
/** Keeps appended events in memory. */
export class MemoryAudit implements AuditSink {
  readonly events: AuditInput[] = [];
  async append(input: AuditInput): Promise<AuditEvent> {
    this.events.push(input);
    return { ...input, seq: this.events.length - 1, timestamp: new Date().toISOString(), prev: '0'.repeat(64), hash: '0'.repeat(64) } as unknown as AuditEvent;
  }
  onDidAppend(): { dispose(): void } {
    return { dispose: () => undefined };
  }
  async flush(): Promise<void> {}
}

export const goodPat: Credential = { kind: 'pat', value: SANDBOX_CREDENTIALS.azureDevOpsPat, source: 'sandbox' };

export interface TrackerSetup {
  readonly tracker: AzureBoardsTracker;
  readonly outbox: FileOutbox;
  readonly audit: MemoryAudit;
  readonly log: FakeLogger;
  readonly credentialCalls: (CredentialRefresh | undefined)[];
}

export async function makeTracker(
  h: Harness,
  dir: string,
  options: { credential?: (r?: CredentialRefresh) => Credential | undefined; timeoutMs?: number; cacheTtlSeconds?: number; team?: string; now?: () => Date } = {},
): Promise<TrackerSetup> {
  const log = new FakeLogger();
  const outbox = await FileOutbox.open({ storageDir: dir, log, baseDelayMs: 1, maxDelayMs: 5 });
  const audit = new MemoryAudit();
  const credentialCalls: (CredentialRefresh | undefined)[] = [];
  const tracker = createAzureBoardsTracker({
    endpoint: { organizationUrl: h.orgUrl, project: SANDBOX_PROJECT, team: options.team ?? `${SANDBOX_PROJECT} Team` },
    credential: async (request) => {
      credentialCalls.push(request);
      return options.credential ? options.credential(request) : goodPat;
    },
    log,
    storageDir: dir,
    cacheTtlSeconds: options.cacheTtlSeconds ?? 300,
    outbox,
    audit,
    timeoutMs: options.timeoutMs ?? 5_000,
    ...(options.now ? { now: options.now } : {}),
  });
  return { tracker, outbox, audit, log, credentialCalls };
}

