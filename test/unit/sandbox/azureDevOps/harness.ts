import * as azdev from 'azure-devops-node-api';
import { SandboxServer } from '../../../../src/sandbox/http/server';
import { SANDBOX_CREDENTIALS, SANDBOX_ORGANIZATION } from '../../../../src/sandbox/identity';
import { AZURE_DEVOPS_SERVICE, AzureDevOpsState, createAzureDevOpsMount } from '../../../../src/sandbox/azureDevOps';

import { DEMO_NOW, ManualClock } from '../manualClock';

export { DEMO_NOW, ManualClock } from '../manualClock';

export interface Harness {
  readonly server: SandboxServer;
  readonly state: AzureDevOpsState;
  readonly clock: ManualClock;
  /** `http://127.0.0.1:PORT/ado/sandbox-org`: what a client uses as its organization URL. */
  readonly orgUrl: string;
  /** A fresh WebApi with the sandbox PAT (each has its own location cache). */
  api(handler?: 'pat' | 'bearer' | { pat: string }): azdev.WebApi;
  stop(): Promise<void>;
}

export async function startHarness(state?: AzureDevOpsState): Promise<Harness> {
  const clock = new ManualClock(DEMO_NOW.getTime());
  const s = state ?? AzureDevOpsState.demo(DEMO_NOW, { clock: clock.now });
  if (state) state.clock = clock.now;
  const server = new SandboxServer();
  server.mount(createAzureDevOpsMount(s));
  await server.start();
  const orgUrl = `${server.urlOf(AZURE_DEVOPS_SERVICE)}/${SANDBOX_ORGANIZATION}`;
  return {
    server,
    state: s,
    clock,
    orgUrl,
    api: (handler = 'pat') => {
      const auth =
        handler === 'pat'
          ? azdev.getPersonalAccessTokenHandler(SANDBOX_CREDENTIALS.azureDevOpsPat)
          : handler === 'bearer'
            ? azdev.getBearerHandler(SANDBOX_CREDENTIALS.azureDevOpsBearer)
            : azdev.getPersonalAccessTokenHandler(handler.pat);
      return new azdev.WebApi(orgUrl, auth, { socketTimeout: 5_000 });
    },
    stop: () => server.stop(),
  };
}

export const PAT_HEADER = { authorization: `Basic ${Buffer.from(`:${SANDBOX_CREDENTIALS.azureDevOpsPat}`).toString('base64')}` };
