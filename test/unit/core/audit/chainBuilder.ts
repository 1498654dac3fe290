import { type AuditEvent, type AuditInput, buildAuditEvent, type ChainHead, EMPTY_HEAD, serializeEvent } from '../../../../src/core/audit';

/** Builds a chain of `n` events (or the given inputs) and their file lines. */
export function makeChain(inputs: number | readonly Partial<AuditInput>[], start: ChainHead = EMPTY_HEAD): { events: AuditEvent[]; lines: string[] } {
  const list = typeof inputs === 'number' ? Array.from({ length: inputs }, () => ({})) : inputs;
  const events: AuditEvent[] = [];
  let head = start;
  list.forEach((partial, i) => {
    const e = buildAuditEvent(
      { correlationId: `run-${Math.floor(i / 3)}`, eventType: 'run.step', service: 'qa', metadata: { step: i }, ...partial },
      head,
      new Date(Date.UTC(2025, 0, 1, 0, 0, i)),
    );
    events.push(e);
    head = { prev: e.hash, seq: e.seq };
  });
  return { events, lines: events.map(serializeEvent) };
}
