import { strict as assert } from 'node:assert';
import { isWireWorkItem, readWireItem, toWorkItem, WireWorkItemSchema } from '../../../../src/providers/boards/azureBoards/workItemWire';

/** A batch answer's item as the service sends it (with fields and links the check does not read). */
function wireItem(): Record<string, unknown> {
  return {
    id: 42,
    rev: 3,
    url: 'https://dev.azure.com/org/_apis/wit/workItems/42',
    fields: {
      'System.Id': 42,
      'System.WorkItemType': 'User Story',
      'System.Title': 'Checkout',
      'System.State': 'Active',
      'System.TeamProject': 'Fabrikam',
      'System.Description': '<div>d</div>',
      'Microsoft.VSTS.Common.AcceptanceCriteria': 'ac',
      'System.AssignedTo': { displayName: 'Ada', uniqueName: 'ada@example.com', id: 'x' },
      'System.AreaPath': 'Fabrikam',
      'System.IterationPath': 'Fabrikam\\Sprint 1',
      'System.Tags': 'a; b',
      'Microsoft.VSTS.CMMI.Blocked': 'Yes',
      'System.Parent': 7,
      'System.CreatedDate': '2026-03-01T10:00:00Z',
      'System.ChangedDate': new Date('2026-03-02T10:00:00Z'),
      'Custom.Anything': [1, 2],
    },
    relations: [{ rel: 'System.LinkTypes.Hierarchy-Forward', url: 'https://x/_apis/wit/workItems/43', attributes: {} }],
  };
}

const WRONG: readonly unknown[] = [undefined, null, '', 'text', 0, -1, 1.5, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, true, [], {}, [{}], new Date('nope'), new Date('2026-01-01T00:00:00Z'), { displayName: 5 }, { displayName: 'A' }];
const FIELDS = [
  'System.WorkItemType',
  'System.Title',
  'System.State',
  'System.TeamProject',
  'System.Description',
  'Microsoft.VSTS.Common.AcceptanceCriteria',
  'System.AssignedTo',
  'System.AreaPath',
  'System.IterationPath',
  'System.Tags',
  'Microsoft.VSTS.CMMI.Blocked',
  'System.Parent',
  'System.CreatedDate',
  'System.ChangedDate',
];

/** Every way of spoiling one part of the item: each field, id, rev, fields, relations and a relation set to each wrong value, or left out. */
function variants(): { what: string; raw: unknown }[] {
  const out: { what: string; raw: unknown }[] = [{ what: 'as sent', raw: wireItem() }];
  for (const value of WRONG) {
    for (const key of ['id', 'rev', 'fields', 'relations']) {
      const raw = wireItem();
      raw[key] = value;
      out.push({ what: `${key} = ${String(value)}`, raw });
    }
    for (const field of FIELDS) {
      const raw = wireItem();
      (raw.fields as Record<string, unknown>)[field] = value;
      out.push({ what: `${field} = ${String(value)}`, raw });
    }
    for (const key of ['rel', 'url']) {
      const raw = wireItem();
      (raw.relations as Record<string, unknown>[])[0]![key] = value;
      out.push({ what: `relations[0].${key} = ${String(value)}`, raw });
    }
    const raw = wireItem();
    (raw.relations as unknown[]).push(value);
    out.push({ what: `relations[1] = ${String(value)}`, raw });
  }
  for (const field of FIELDS) {
    const raw = wireItem();
    delete (raw.fields as Record<string, unknown>)[field];
    out.push({ what: `no ${field}`, raw });
  }
  for (const key of ['id', 'rev', 'fields', 'relations']) {
    const raw = wireItem();
    delete raw[key];
    out.push({ what: `no ${key}`, raw });
  }
  for (const raw of [null, undefined, 42, 'item', [], [wireItem()]]) out.push({ what: `the item is ${JSON.stringify(raw)}`, raw });
  return out;
}

describe('Azure Boards: the batch answer checked by hand, exactly as the wire schema checks it', () => {
  it('accepts and refuses exactly what WireWorkItemSchema does, for every field set to every wrong value or left out', () => {
    const cases = variants();
    let refused = 0;
    for (const { what, raw } of cases) {
      const zod = WireWorkItemSchema.safeParse(raw).success;
      assert.equal(isWireWorkItem(raw), zod, `${what}: the hand check ${zod ? 'refused' : 'accepted'} what the schema ${zod ? 'accepts' : 'refuses'}`);
      if (!zod) refused++;
    }
    // The corpus is not all good items: most variants are refused by both.
    assert.ok(refused > cases.length / 2, `${refused} of ${cases.length} refused`);
  });

  it('maps an accepted item exactly as the schema-checked copy maps', () => {
    const raw = wireItem();
    const parsed = WireWorkItemSchema.parse(raw);
    assert.deepEqual(readWireItem(raw, 'https://dev.azure.com/org/Fabrikam'), toWorkItem(parsed, 'https://dev.azure.com/org/Fabrikam'));
  });

  it('a malformed item is an error naming the field, not an item', () => {
    const raw = wireItem();
    (raw.fields as Record<string, unknown>)['System.State'] = 42;
    const read = readWireItem(raw, 'https://dev.azure.com/org/Fabrikam');
    assert.ok('error' in read);
    assert.match(read.error, /^fields\.System\.State: .*string/i);
    const noId = wireItem();
    noId.id = -3;
    const bad = readWireItem(noId, 'x');
    assert.ok('error' in bad && /^id: /.test(bad.error), JSON.stringify(bad));
  });
});
