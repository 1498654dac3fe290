// Before the unit tests: the Debian packages the QA agent's Python fixtures and the scaffold agent's
// entity trial (a generated FastAPI project) run on (Debian's
// python3 with pytest, pytest-cov and coverage.py; PyPI is not reachable), and bandit, which the
// security agent's Python check runs. Installs only what is
// missing (as the VS Code harness does for Chromium), so a machine that has them never runs apt.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ensureAptPackages } from './vscode/aptPackages';

export const PYTHON_TEST_PACKAGES = ['python3', 'python3-pytest', 'python3-pytest-cov', 'python3-coverage', 'python3-fastapi', 'python3-httpx', 'python3-sqlalchemy', 'python3-pydantic', 'bandit'];

const root = path.resolve(__dirname, '..');
const logDir = path.join(root, '.cache', 'logs');
mkdirSync(logDir, { recursive: true });
ensureAptPackages(PYTHON_TEST_PACKAGES, path.join(logDir, 'apt-test-packages.log'), (line) => console.log(line)).catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
