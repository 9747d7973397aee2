// Test doubles: an urql client answering by operation name, and a workspace and
// jobs context of the test's choosing.
import { vi } from 'vitest';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { CombinedError, Provider, type Client } from 'urql';
import { concat, fromValue, never } from 'wonka';
import { GraphQLError, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { Role } from '../gql/graphql';
import { JobsContext, WorkspaceContext, type JobsCtx, type WorkspaceCtx } from '../state';

export type Answer = { data?: unknown; error?: CombinedError };
/** Answers by operation name, e.g. `{ SeedKeywords: (v) => ({ data }) }`; unknown operations never answer. */
export type Answers = Record<string, (variables: Record<string, unknown>) => Answer>;

const nameOf = (doc: DocumentNode) => (doc.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode).name?.value ?? '';

export function mockClient(answers: Answers) {
  const calls: { name: string; variables: Record<string, unknown> }[] = [];
  const answer = (query: DocumentNode, variables: Record<string, unknown> = {}) => {
    const name = nameOf(query);
    calls.push({ name, variables });
    const a = answers[name];
    if (!a) throw new Error(`unexpected operation ${name}`);
    return a(variables);
  };
  const run = (op: { query: DocumentNode; variables: Record<string, unknown> }) =>
    fromValue({ operation: op, ...answer(op.query, op.variables), stale: false, hasNext: false });
  // a query's source stays open, as urql's does (its end would clear the error)
  const watch = (op: { query: DocumentNode; variables: Record<string, unknown> }) => concat([run(op), never]);
  const client = {
    suspense: false,
    executeQuery: vi.fn(watch),
    executeMutation: vi.fn(run),
    executeSubscription: vi.fn(),
    query: vi.fn((query: DocumentNode, variables: Record<string, unknown>) => {
      const a = answer(query, variables);
      return { toPromise: async () => a };
    }),
  } as unknown as Client;
  return { client, calls, of: (name: string) => calls.filter((c) => c.name === name) };
}

export const gqlError = (code: string, message: string, extensions: Record<string, unknown> = {}) =>
  new CombinedError({ graphQLErrors: [new GraphQLError(message, { extensions: { code, ...extensions } })] });

/** A signed-in workspace with one site and sector, as `role`. */
export function workspace(role: Role, patch: Partial<WorkspaceCtx> = {}): WorkspaceCtx {
  const site = {
    id: 'site1', name: 'Acme Blog', slug: 'acme-blog', domain: null, isActive: true,
    sectors: { totalCount: 1, nodes: [{ id: 'sec1', name: 'Baking', slug: 'baking', isActive: true }] },
  };
  return {
    me: {
      id: 'u1', email: 'u@example.com', name: null, role,
      account: { id: 'a1', name: 'Acme', status: 'ACTIVE', credits: 100, creditsHeld: 0, creditsAvailable: 100, plan: { id: 'p1', name: 'Free', monthlyCredits: 100 } },
    },
    sites: [site],
    sitesLoading: false,
    site,
    sectorId: 'sec1',
    setSite: () => {},
    setSector: () => {},
    ...patch,
  } as WorkspaceCtx;
}

export const noJobs = (): JobsCtx => ({ jobs: [], track: vi.fn(), cancel: vi.fn(async () => {}), retry: vi.fn(async () => null), dismiss: vi.fn() }) as unknown as JobsCtx;

/** Wraps a page in the client, a workspace as `role`, the jobs context and a router. */
export function wrapper(client: Client, ws: WorkspaceCtx, jobs: JobsCtx = noJobs()) {
  return ({ children }: { children: ReactNode }) => (
    <MemoryRouter>
      <Provider value={client}>
        <WorkspaceContext.Provider value={ws}>
          <JobsContext.Provider value={jobs}>{children}</JobsContext.Provider>
        </WorkspaceContext.Provider>
      </Provider>
    </MemoryRouter>
  );
}
