import assert from 'node:assert/strict';
import { findReferences } from '../../../../src/core/todo/references';
import { organizationOf, outsideConnection } from '../../../../src/core/todo/referenceScope';
import { FakeWorkTracker, demoItems } from '../../providers/chat/fakeWorkTracker';
import { getWorkItem } from '../../../../src/providers/chat/workItemLookup';
import { createTrackerResolver } from '../../../../src/providers/boards/trackerResolver';
import { referenceKey } from '../../../../src/core/todo/references';
import { FakeLogger } from '../../fakes/fakeLogger';

const ref = (text: string) => findReferences(text, { defaultTracker: 'azureBoards', patterns: [] })[0]!.reference;

describe('a work item URL naming another organization', () => {
  it('names the organization of each URL form', () => {
    assert.equal(organizationOf('https://dev.azure.com/contoso'), 'contoso');
    assert.equal(organizationOf('https://dev.azure.com/contoso/'), 'contoso');
    assert.equal(organizationOf('https://contoso.visualstudio.com'), 'contoso');
    assert.equal(organizationOf('https://tfs.example.com/tfs/DefaultCollection'), 'DefaultCollection');
    assert.equal(organizationOf('not a url'), undefined);
  });

  it('is outside the connection even when the project name and the id are the same', () => {
    const scope = { organization: 'acme', project: 'Web' };
    assert.match(outsideConnection(ref('see https://dev.azure.com/attacker/Web/_workitems/edit/7'), scope) ?? '', /AB#7 is in the organization "attacker" \(project "Web"\); the extension is connected to "acme"/);
    assert.match(outsideConnection(ref('https://attacker.visualstudio.com/Web/_workitems/edit/7'), scope) ?? '', /organization "attacker"/);
    assert.equal(outsideConnection(ref('https://dev.azure.com/ACME/Web/_workitems/edit/7'), scope), undefined, 'same organization, any case');
    assert.equal(outsideConnection(ref('AB#7'), scope), undefined);
    // Connected to a server: a cloud organization's URL is elsewhere too.
    assert.ok(outsideConnection(ref('https://dev.azure.com/acme/Web/_workitems/edit/7'), { organization: 'DefaultCollection', project: 'Web' }));
  });

  it('@devops never answers it with the connected organization\'s item of the same id', async () => {
    const azure = new FakeWorkTracker('azureBoards', 'Ana Developer', demoItems());
    const trackers = { azure: () => azure, github: () => undefined, scope: () => ({ organization: 'acme', project: 'Contoso Web' }) };
    await assert.rejects(getWorkItem(ref('https://dev.azure.com/attacker/Contoso%20Web/_workitems/edit/7'), trackers), /organization "attacker"/);
    assert.equal((await getWorkItem(ref('https://dev.azure.com/acme/Contoso%20Web/_workitems/edit/7'), trackers)).id, 7);
  });

  it('a TODO lens on it says where it is instead of showing the connected item', async () => {
    const azure = new FakeWorkTracker('azureBoards', 'Ana Developer', demoItems());
    const resolver = createTrackerResolver({ azureBoards: { tracker: async () => azure, organization: 'acme', project: 'Contoso Web' }, log: new FakeLogger() });
    const foreign = ref('TODO https://dev.azure.com/attacker/Contoso%20Web/_workitems/edit/7');
    const own = ref('TODO AB#7');
    const answers = await resolver.resolve([foreign, own]);
    const f = answers.get(referenceKey(foreign));
    assert.equal(f?.kind, 'error');
    assert.match(String((f as { error?: Error }).error?.message ?? JSON.stringify(f)), /organization "attacker"/);
    assert.equal(answers.get(referenceKey(own))?.kind, 'found');
  });
});
