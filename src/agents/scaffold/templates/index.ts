import { DevOpsError } from '../../../core/errors';
import type { ScaffoldOutput } from '../output';
import { parseScaffoldOptions, type ScaffoldOptions } from '../options';
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
    case 'react':
    case 'vue':
      throw new DevOpsError('invalidInput', `The ${o.template} template is not available in this build yet; choose fastapi, flask or django.`);
  }
}
