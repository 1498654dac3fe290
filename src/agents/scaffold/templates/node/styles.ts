import { text } from '../../output';

/** A plain, readable starting style for both front ends: system fonts, light and dark. */
export const PAGE_CSS = text(`
:root {
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  line-height: 1.5;
  color-scheme: light dark;
  color: #1f2330;
  background-color: #f7f8fa;
}

main {
  max-width: 40rem;
  margin: 4rem auto;
  padding: 0 1.5rem;
}

h1 {
  font-size: 2.25rem;
  margin-bottom: 0.5rem;
}

code {
  font-family: ui-monospace, 'SFMono-Regular', Menlo, monospace;
  background: rgba(127, 127, 127, 0.15);
  padding: 0.1rem 0.3rem;
  border-radius: 4px;
}

[role='status'] {
  padding: 0.75rem 1rem;
  border-radius: 8px;
  background: rgba(127, 127, 127, 0.1);
}

.up {
  border-left: 4px solid #2e9d5b;
}

.down {
  border-left: 4px solid #d1453b;
}

@media (prefers-color-scheme: dark) {
  :root {
    color: #e6e8ee;
    background-color: #16181d;
  }
}
`);
