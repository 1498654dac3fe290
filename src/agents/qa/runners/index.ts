import { type Framework } from '../detect/projects';
import { cargoRunner, dotnetRunner, goRunner, gradleRunner, mavenRunner } from './nativeRunners';
import { jestRunner, mochaRunner, nodeTestRunner, vitestRunner } from './nodeRunners';
import { pytestRunner, unittestRunner } from './pythonRunners';
import { type Runner } from './runner';

export function runnerFor(framework: Framework, knownFiles: ReadonlySet<string>): Runner {
  switch (framework) {
    case 'mocha':
      return mochaRunner;
    case 'jest':
      return jestRunner;
    case 'vitest':
      return vitestRunner;
    case 'node-test':
      return nodeTestRunner;
    case 'pytest':
      return pytestRunner(knownFiles);
    case 'unittest':
      return unittestRunner(knownFiles);
    case 'go':
      return goRunner;
    case 'cargo':
      return cargoRunner;
    case 'dotnet':
      return dotnetRunner;
    case 'maven':
      return mavenRunner;
    case 'gradle':
      return gradleRunner;
  }
}
