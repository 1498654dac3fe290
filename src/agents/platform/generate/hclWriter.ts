/**
 * Writes HCL in `terraform fmt` style: two-space indents, the `=` of consecutive one-line
 * attributes aligned, one blank line between top-level blocks. Values are HCL expressions given
 * as text (`str()` quotes a string), so what is written is exactly what was meant.
 */
export type HclItem =
  | { readonly kind: 'attr'; readonly name: string; readonly value: string }
  | { readonly kind: 'block'; readonly type: string; readonly labels: readonly string[]; readonly body: readonly HclItem[] }
  | { readonly kind: 'blank' }
  | { readonly kind: 'comment'; readonly text: string };

export const attr = (name: string, value: string): HclItem => ({ kind: 'attr', name, value });
export const block = (type: string, labels: readonly string[], body: readonly HclItem[]): HclItem => ({ kind: 'block', type, labels, body });
export const blank: HclItem = { kind: 'blank' };
export const comment = (text: string): HclItem => ({ kind: 'comment', text });

/** A quoted HCL string; `${` and `%{` are escaped so nothing in it is read as a template. */
export const str = (value: string): string => JSON.stringify(value).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');

/** A one-line HCL list of strings. */
export const strList = (values: readonly string[]): string => `[${values.map(str).join(', ')}]`;

export function writeHcl(items: readonly HclItem[]): string {
  const out: string[] = [];
  items.forEach((item, i) => {
    if (i > 0 && item.kind === 'block' && items[i - 1]?.kind !== 'comment' && items[i - 1]?.kind !== 'blank') out.push('');
    out.push(...render(item, '', 0));
  });
  return `${out.join('\n')}\n`;
}

function render(item: HclItem, indent: string, width: number): string[] {
  switch (item.kind) {
    case 'blank':
      return [''];
    case 'comment':
      return item.text.split('\n').map((l) => `${indent}# ${l}`.trimEnd());
    case 'attr':
      return [`${indent}${item.name.padEnd(width)} = ${item.value}`];
    case 'block': {
      const head = `${indent}${[item.type, ...item.labels.map((l) => JSON.stringify(l))].join(' ')} {`;
      if (item.body.length === 0) return [`${head}}`];
      return [head, ...body(item.body, `${indent}  `), `${indent}}`];
    }
  }
}

/** A block's body: alignment groups are runs of attributes; a nested block or blank line ends one. */
function body(items: readonly HclItem[], indent: string): string[] {
  const lines: string[] = [];
  let group: HclItem[] = [];
  const flush = (): void => {
    const width = Math.max(0, ...group.map((g) => (g.kind === 'attr' ? g.name.length : 0)));
    for (const g of group) lines.push(...render(g, indent, width));
    group = [];
  };
  items.forEach((item, i) => {
    if (item.kind === 'attr') {
      group.push(item);
      return;
    }
    flush();
    // terraform fmt puts a blank line between attributes and a following nested block.
    if (item.kind === 'block' && i > 0 && items[i - 1]?.kind === 'attr') lines.push('');
    lines.push(...render(item, indent, 0));
    if (item.kind === 'block' && items[i + 1]?.kind === 'attr') lines.push('');
  });
  flush();
  return lines;
}
