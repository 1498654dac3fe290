import { text, type ScaffoldFile, type ScaffoldOutput } from '../../output';
import { projectTitle, type ScaffoldOptions } from '../../options';
import { renderFrontend } from './frontend';
import { PAGE_CSS } from './styles';

/** Vue 3 (script setup) + TypeScript on Vite, as create-vite's vue-ts lays it out, with vitest and Vue Test Utils. */

function appFiles(o: ScaffoldOptions): ScaffoldFile[] {
  const title = projectTitle(o.name);
  const files: ScaffoldFile[] = [
    {
      path: 'src/main.ts',
      content: text(`
import { createApp } from 'vue'
import './style.css'
import App from './App.vue'

createApp(App).mount('#app')
`),
    },
    {
      path: 'src/App.vue',
      content: text(`
<script setup lang="ts">
import ApiStatus from './components/ApiStatus.vue'
</script>

<template>
  <main>
    <h1>${title}</h1>
    <p>Edit <code>src/App.vue</code> and save: Vite reloads the page.</p>
    <ApiStatus />
  </main>
</template>
`),
    },
    {
      path: 'src/components/ApiStatus.vue',
      content: text(`
<script setup lang="ts">
import { onMounted, onUnmounted, ref } from 'vue'
import { API_URL, checkHealth, type Health } from '../api'

/** Whether the backend answers its health check, asked once when the page opens. */
const health = ref<Health>()
const where = API_URL || 'this origin'
const controller = new AbortController()

onMounted(() => {
  checkHealth(controller.signal).then(
    (answer) => (health.value = answer),
    () => undefined,
  )
})
onUnmounted(() => controller.abort())
</script>

<template>
  <p v-if="!health" role="status">Checking the API at {{ where }}…</p>
  <p v-else-if="health.state === 'up'" role="status" class="up">The API at {{ where }} is up.</p>
  <p v-else role="status" class="down">The API at {{ where }} does not answer ({{ health.reason }}).</p>
</template>
`),
    },
    { path: 'src/style.css', content: PAGE_CSS },
    {
      path: '.vscode/extensions.json',
      content: `${JSON.stringify({ recommendations: ['Vue.volar'] }, null, 2)}\n`,
    },
  ];
  if (o.tests) {
    files.push(
      {
        path: 'src/App.test.ts',
        content: text(`
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, expect, test, vi } from 'vitest'
import App from './App.vue'

afterEach(() => {
  vi.unstubAllGlobals()
})

test('shows the title and asks the API', async () => {
  const fetchMock = vi.fn<typeof fetch>().mockResolvedValue(new Response('{"status":"ok"}', { status: 200 }))
  vi.stubGlobal('fetch', fetchMock)
  const wrapper = mount(App)
  expect(wrapper.get('h1').text()).toBe(${JSON.stringify(title)})
  await flushPromises()
  expect(wrapper.get('[role="status"]').text()).toMatch(/is up/)
  expect(fetchMock).toHaveBeenCalledWith('/health', expect.objectContaining({ headers: { Accept: 'application/json' } }))
  wrapper.unmount()
})
`),
      },
      {
        path: 'src/components/ApiStatus.test.ts',
        content: text(`
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, expect, test, vi } from 'vitest'
import ApiStatus from './ApiStatus.vue'

afterEach(() => {
  vi.unstubAllGlobals()
})

test('says the API is down when /health answers 503', async () => {
  vi.stubGlobal('fetch', vi.fn<typeof fetch>().mockResolvedValue(new Response('{"status":"unavailable"}', { status: 503 })))
  const wrapper = mount(ApiStatus)
  expect(wrapper.get('[role="status"]').text()).toMatch(/Checking the API/)
  await flushPromises()
  expect(wrapper.get('[role="status"]').text()).toMatch(/does not answer \\(HTTP 503\\)/)
  wrapper.unmount()
})

test('says why when the API cannot be reached', async () => {
  vi.stubGlobal('fetch', vi.fn<typeof fetch>().mockRejectedValue(new TypeError('Failed to fetch')))
  const wrapper = mount(ApiStatus)
  await flushPromises()
  expect(wrapper.get('[role="status"]').text()).toMatch(/Failed to fetch/)
  wrapper.unmount()
})
`),
      },
    );
  }
  return files;
}

export function renderVue(o: ScaffoldOptions): ScaffoldOutput {
  return renderFrontend(o, {
    framework: 'vue',
    entry: 'main.ts',
    mountId: 'app',
    dependencies: ['vue'],
    devDependencies: ['@vitejs/plugin-vue', '@vue/tsconfig', 'vue-tsc', ...(o.tests ? (['@vue/test-utils'] as const) : [])],
    typecheck: 'vue-tsc -b',
    oxlintPlugins: ['vue', 'typescript', 'oxc', 'vitest'],
    files: appFiles(o),
    layout: [
      ['index.html', 'the page Vite serves and builds from'],
      ['src/main.ts', 'mounts the app'],
      ['src/App.vue', 'the page'],
      ['src/components/', 'components, each with its test beside it'],
    ],
    viteConfig: `
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

// https://vite.dev/config/ and https://vitest.dev/config/
export default defineConfig({
  plugins: [vue()],
  test: {
    environment: 'jsdom',
  },
})
`,
    tsconfigApp: {
      extends: '@vue/tsconfig/tsconfig.dom.json',
      compilerOptions: {
        tsBuildInfoFile: './node_modules/.tmp/tsconfig.app.tsbuildinfo',
        types: ['vite/client'],
        noUnusedLocals: true,
        noUnusedParameters: true,
        erasableSyntaxOnly: true,
        noFallthroughCasesInSwitch: true,
      },
      include: ['src/**/*.ts', 'src/**/*.tsx', 'src/**/*.vue'],
    },
  });
}
