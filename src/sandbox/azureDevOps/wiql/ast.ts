/** The WIQL the stand-in understands, as a tree. See parser.ts for the grammar. */
export interface FieldRef {
  /** In WorkItemLinks queries: which end of the link (`[Source].[X]`, `[Target].[X]`); plain fields mean the source. */
  readonly end?: 'source' | 'target';
  /** As written, without brackets: `System.State`, `State`, `System.Links.LinkType`. */
  readonly name: string;
}

export type Macro = 'me' | 'project' | 'today' | 'currentiteration' | 'startofday' | 'startofweek' | 'startofmonth' | 'startofyear';

export type Value =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'macro'; readonly macro: Macro; readonly offset: number; readonly argument?: string }
  | { readonly kind: 'field'; readonly field: FieldRef };

export type CompareOp = '=' | '<>' | '>' | '<' | '>=' | '<=';

export type Expr =
  | { readonly kind: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'not'; readonly expr: Expr }
  | { readonly kind: 'compare'; readonly field: FieldRef; readonly op: CompareOp; readonly value: Value }
  | { readonly kind: 'in'; readonly field: FieldRef; readonly values: readonly Value[]; readonly negate: boolean }
  | { readonly kind: 'under'; readonly field: FieldRef; readonly value: Value; readonly negate: boolean }
  | { readonly kind: 'contains'; readonly field: FieldRef; readonly value: Value; readonly negate: boolean; readonly words: boolean }
  | { readonly kind: 'ever'; readonly field: FieldRef; readonly value: Value; readonly negate: boolean };

export type LinkMode = 'mustcontain' | 'maycontain' | 'doesnotcontain' | 'recursive';

export interface Query {
  readonly fields: readonly FieldRef[];
  readonly from: 'workitems' | 'workitemlinks';
  readonly where: Expr | undefined;
  readonly orderBy: readonly { readonly field: FieldRef; readonly descending: boolean }[];
  readonly asOf: string | undefined;
  readonly mode: LinkMode | undefined;
}
