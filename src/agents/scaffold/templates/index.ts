import type { ScaffoldOutput } from '../output';
import { parseScaffoldOptions, type ScaffoldOptions } from '../options';
import { renderExpress } from './node/expressProject';
import { renderReact } from './node/react';
import { renderVue } from './node/vue';
import { renderPython } from './python';

/**
 * Renders a project from options into files and the commands that install and test it. Pure: it
 * reads nothing and writes nothing, so the same call serves the chat, the quick pick, the CLI and tests.
 */
export function renderProject(input: unknown): ScaffoldOutput {
  const o: ScaffoldOptions = parseScaffoldOptions(input);
  switch (o.template) {
    case 'fastapi':
    case 'flask':
    case 'django':
      return renderPython(o.template, o);
    case 'express':
      return renderExpress(o);
    case 'react':
      return renderReact(o);
    case 'vue':
      return renderVue(o);
  }
}
