// The two ESLint security plugins ship JavaScript without types; these say what we use of them.
declare module 'eslint-plugin-security' {
  import { type Rule } from 'eslint';
  const plugin: { readonly meta?: { readonly name?: string }; readonly rules: Readonly<Record<string, Rule.RuleModule>> };
  export default plugin;
}

declare module '@microsoft/eslint-plugin-sdl/lib/rules/*' {
  import { type Rule } from 'eslint';
  const rule: Rule.RuleModule;
  export default rule;
}
