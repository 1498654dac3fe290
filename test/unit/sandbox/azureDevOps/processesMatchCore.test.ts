import assert from 'node:assert/strict';
import { PROCESS_TEMPLATES } from '../../../../src/core/process/templates';
import { processByName, typeInProcess } from '../../../../src/sandbox/azureDevOps/state/processes';

// The stand-in answers the process questions the Azure Boards provider asks; core decides the
// allowed moves from its own templates. Both describe the same four processes, so they must agree
// on every type's states, or the sandbox would offer moves the real service refuses (or hide some).
describe('Azure DevOps stand-in processes agree with the core templates', () => {
  for (const template of Object.values(PROCESS_TEMPLATES)) {
    for (const type of template.types) {
      it(`${template.name} ${type.name}: same states in the same order`, () => {
        const process = processByName(template.name) ?? assert.fail(`no ${template.name} process in the stand-in`);
        const served = typeInProcess(process, type.name) ?? assert.fail(`no ${type.name} in the stand-in's ${template.name}`);
        assert.deepEqual(
          served.states.map((s) => s.name),
          type.states.map((s) => s.name),
        );
      });
    }
  }
});
