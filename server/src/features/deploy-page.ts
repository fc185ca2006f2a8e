/**
 * What the editor's deploy request page shows (schemabranch/deployRequest/page):
 * the stored request, its history and its reviews in one answer, with each
 * statement cut into tokens by the one lexer, so the page paints SQL without a
 * lexer of its own. Pure: engine records in, protocol shapes out.
 */
import { diffFingerprint } from '../../../engine/src/deploy/reviews.js';
import type { Review } from '../../../engine/src/deploy/reviews.js';
import type { DeployEvent, DeployRequest } from '../../../engine/src/deploy/record.js';
import type { DeployRequestDetail, DeployRequestPageInfo, SqlSpan } from '../protocol.js';
import { tokenize, type TokenKind } from '../sql/tokens.js';

/**
 * Statements are the engine's own DDL, which quotes every name (quoteIdent):
 * a bare word in them is a keyword, a type or an option, never a name.
 */
const SPAN_KIND: Record<TokenKind, SqlSpan['kind']> = { ident: 'keyword', quoted: 'identifier', string: 'string', number: 'number', punct: 'operator', comment: 'comment' };

/** The tokens of one statement by offsets; whitespace is left out (the page shows it as plain text). */
export function sqlSpans(statement: string): SqlSpan[] {
  return tokenize(statement).map((t) => ({ start: t.start, end: t.end, kind: SPAN_KIND[t.kind] }));
}

export interface PageParts {
  request: DeployRequest;
  /** The request as every other request answers it (toDeployRequestDetail). */
  detail: DeployRequestDetail;
  events: DeployEvent[];
  reviews: Review[];
  approvers: string[];
  requiredApprovals: number;
  /** A lint code's documentation link (diagnostics' ruleLink), undefined for codes no page documents. */
  doc: (code: string) => string | undefined;
}

export function deployRequestPage(p: PageParts): DeployRequestPageInfo {
  const r = p.request;
  const current = diffFingerprint(r.changes);
  return {
    ...p.detail,
    changes: p.detail.changes.map((c) => ({ ...c, spans: sqlSpans(c.statement) })),
    lint: p.detail.lint.map((f) => {
      const doc = p.doc(f.code);
      return doc ? { ...f, doc } : f;
    }),
    openedBy: r.openedBy,
    targetDatabase: r.targetDatabase,
    ...(r.startedAt ? { startedAt: r.startedAt } : {}),
    ...(r.cutOverAt ? { cutOverAt: r.cutOverAt } : {}),
    ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    notDeployableReasons: r.lint.reasons,
    progress: r.progress.map((t) => ({ table: t.table, rowsCopied: t.rowsCopied, rowsTotal: t.rowsTotal, percent: t.percent, rowsPerSecond: t.rowsPerSecond, ...(t.etaSeconds === null ? {} : { etaSeconds: t.etaSeconds }) })),
    history: p.events.map((e) => ({ at: e.at, ...(e.fromState ? { from: e.fromState } : {}), to: e.toState, message: e.message, actor: e.actor })),
    reviews: p.reviews.map((v) => ({ at: v.at, actor: v.actor, kind: v.kind, ...(v.body === null ? {} : { body: v.body }), current: v.diff === current })),
    approvers: p.approvers,
    requiredApprovals: p.requiredApprovals,
  };
}
