import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, GraphQLEnumType, GraphQLObjectType } from 'graphql';
import { jobAffects, staleLists } from './client';

// The cache invalidation names API fields by string: keep them real.
const schema = buildSchema(readFileSync(resolve(__dirname, '../../../schema.graphql'), 'utf8'));
const fields = (t: GraphQLObjectType | null | undefined) => Object.keys(t?.getFields() ?? {});

describe('cache invalidation map', () => {
  it('names only mutations and queries that exist', () => {
    const mutations = fields(schema.getMutationType());
    const queries = fields(schema.getQueryType());
    for (const [m, lists] of Object.entries(staleLists)) {
      expect(mutations, m).toContain(m);
      for (const q of lists) expect(queries, `${m} → ${q}`).toContain(q);
    }
    const kinds = (schema.getType('JobKind') as GraphQLEnumType).getValues().map((v) => v.name);
    expect(Object.keys(jobAffects).sort()).toEqual([...kinds].sort());
    for (const lists of Object.values(jobAffects)) for (const q of lists) expect(queries).toContain(q);
  });

  it('covers every mutation that changes a list the client shows', () => {
    const mutations = fields(schema.getMutationType());
    const listChanging = mutations.filter((m) => /^(create|delete|bulk|import|queue|add|remove|generate|autoCluster)/.test(m));
    const uncovered = listChanging.filter((m) => !(m in staleLists));
    expect(uncovered).toEqual([]);
  });
});
