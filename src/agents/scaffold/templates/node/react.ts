import { text, type ScaffoldFile, type ScaffoldOutput } from '../../output';
import { projectTitle, type ScaffoldOptions } from '../../options';
import { renderFrontend } from './frontend';
import { PAGE_CSS } from './styles';

/** React 19 + TypeScript on Vite, as create-vite's react-ts lays it out, with vitest and Testing Library. */

function appFiles(o: ScaffoldOptions): ScaffoldFile[] {
  const title = projectTitle(o.name);
  const files: ScaffoldFile[] = [
    {
      path: 'src/main.tsx',
      content: text(`
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './index.css'
import App from './App.tsx'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
`),
    },
    {
      path: 'src/App.tsx',
      content: text(`
import ApiStatus from './components/ApiStatus.tsx'

export default function App() {
  return (
    <main>
      <h1>${title}</h1>
      <p>
        Edit <code>src/App.tsx</code> and save: Vite reloads the page.
      </p>
      <ApiStatus />
    </main>
  )
}
`),
    },
    {
      path: 'src/components/ApiStatus.tsx',
      content: text(`
import { useEffect, useState } from 'react'
import { API_URL, checkHealth, type Health } from '../api.ts'

/** Whether the backend answers its health check, asked once when the page opens. */
export default function ApiStatus() {
  const [health, setHealth] = useState<Health | undefined>()

  useEffect(() => {
    const controller = new AbortController()
    checkHealth(controller.signal).then(setHealth, () => undefined)
    return () => controller.abort()
  }, [])

  const where = API_URL || 'this origin'
  if (!health) return <p role="status">Checking the API at {where}…</p>
  if (health.state === 'up') return <p role="status" className="up">The API at {where} is up.</p>
  return (
    <p role="status" className="down">
      The API at {where} does not answer ({health.reason}).
    </p>
  )
}
`),
    },
    { path: 'src/index.css', content: PAGE_CSS },
  ];
  if (o.tests) {
    files.push(
      {
        path: 'src/App.test.tsx',
        content: text(`
import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, expect, test, vi } from 'vitest'
import App from './App.tsx'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

test('shows the title and asks the API', async () => {
  const fetchMock = vi.fn<typeof fetch>().mockResolvedValue(new Response('{"status":"ok"}', { status: 200 }))
  vi.stubGlobal('fetch', fetchMock)
  render(<App />)
  expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(${JSON.stringify(title)})
  expect(await screen.findByText(/is up/)).toBeTruthy()
  expect(fetchMock).toHaveBeenCalledWith('/health', expect.objectContaining({ headers: { Accept: 'application/json' } }))
})
`),
      },
      {
        path: 'src/components/ApiStatus.test.tsx',
        content: text(`
import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, expect, test, vi } from 'vitest'
import ApiStatus from './ApiStatus.tsx'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

test('says the API is down when /health answers 503', async () => {
  vi.stubGlobal('fetch', vi.fn<typeof fetch>().mockResolvedValue(new Response('{"status":"unavailable"}', { status: 503 })))
  render(<ApiStatus />)
  expect(screen.getByRole('status').textContent).toMatch(/Checking the API/)
  expect((await screen.findByText(/does not answer/)).textContent).toMatch(/HTTP 503/)
})

test('says why when the API cannot be reached', async () => {
  vi.stubGlobal('fetch', vi.fn<typeof fetch>().mockRejectedValue(new TypeError('Failed to fetch')))
  render(<ApiStatus />)
  expect((await screen.findByText(/does not answer/)).textContent).toMatch(/Failed to fetch/)
})
`),
      },
    );
  }
  return files;
}

export function renderReact(o: ScaffoldOptions): ScaffoldOutput {
  return renderFrontend(o, {
    framework: 'react',
    entry: 'main.tsx',
    mountId: 'root',
    dependencies: ['react', 'react-dom'],
    devDependencies: ['@types/react', '@types/react-dom', '@vitejs/plugin-react', ...(o.tests ? (['@testing-library/react', '@testing-library/dom'] as const) : [])],
    typecheck: 'tsc -b',
    oxlintPlugins: ['react', 'typescript', 'oxc', 'vitest'],
    oxlintRules: { 'react/rules-of-hooks': 'error', 'react/exhaustive-deps': 'warn', 'react/only-export-components': ['warn', { allowConstantExport: true }] },
    files: appFiles(o),
    layout: [
      ['index.html', 'the page Vite serves and builds from'],
      ['src/main.tsx', 'mounts the app'],
      ['src/App.tsx', 'the page'],
      ['src/components/', 'components, each with its test beside it'],
    ],
    viteConfig: `
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

// https://vite.dev/config/ and https://vitest.dev/config/
export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'jsdom',
  },
})
`,
    tsconfigApp: {
      compilerOptions: {
        tsBuildInfoFile: './node_modules/.tmp/tsconfig.app.tsbuildinfo',
        target: 'es2023',
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        module: 'esnext',
        types: ['vite/client'],
        skipLibCheck: true,
        moduleResolution: 'bundler',
        allowImportingTsExtensions: true,
        verbatimModuleSyntax: true,
        moduleDetection: 'force',
        noEmit: true,
        jsx: 'react-jsx',
        strict: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        erasableSyntaxOnly: true,
        noFallthroughCasesInSwitch: true,
      },
      include: ['src'],
    },
  });
}
