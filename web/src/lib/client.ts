import { Client, fetchExchange, subscriptionExchange } from 'urql';
import { cacheExchange, type Cache } from '@urql/exchange-graphcache';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import type { SessionStore } from './session';
import { authFetch } from './session';

/** Query list fields that a mutation (or a finished job) makes stale. */
export const staleLists: Record<string, string[]> = {
  createSite: ['sites', 'sectors'],
  updateSite: ['sites'],
  deleteSite: ['sites', 'sectors', 'keywords', 'clusters', 'ideas', 'tasks', 'contents', 'images'],
  createSector: ['sites', 'sectors'],
  updateSector: ['sites', 'sectors'],
  deleteSector: ['sites', 'sectors', 'keywords', 'clusters', 'ideas', 'tasks', 'contents', 'images'],
  createKeyword: ['keywords', 'clusters'],
  updateKeyword: ['keywords', 'clusters'],
  deleteKeyword: ['keywords', 'clusters'],
  bulkDeleteKeywords: ['keywords', 'clusters'],
  bulkUpdateKeywordStatus: ['keywords'],
  importKeywords: ['keywords'],
  importKeywordsFile: ['keywords'],
  addSeedKeywords: ['keywords'],
  createCluster: ['clusters'],
  updateCluster: ['clusters'],
  deleteCluster: ['clusters', 'keywords', 'ideas'],
  addKeywordsToCluster: ['clusters', 'keywords'],
  removeKeywordsFromCluster: ['clusters', 'keywords'],
  createIdea: ['ideas', 'clusters'],
  updateIdea: ['ideas'],
  deleteIdea: ['ideas', 'clusters'],
  queueIdeasToWriter: ['ideas', 'tasks'],
  createTask: ['tasks'],
  updateTask: ['tasks'],
  deleteTask: ['tasks', 'contents', 'images', 'ideas'],
  bulkUpdateTaskStatus: ['tasks'],
  bulkDeleteTasks: ['tasks', 'contents', 'images', 'ideas'],
  createContent: ['contents', 'tasks'],
  connectWordPress: ['site', 'automationConfig'],
  createAutomationRule: ['automationRules'],
  deleteAutomationRule: ['automationRules'],
  updateAutomationRule: ['automationRules'],
  updateAutomationConfig: ['automationConfig', 'automationOverview'],
  startAutomationRun: ['automationOverview', 'automationRuns'],
  pauseAutomationRun: ['automationOverview'],
  resumeAutomationRun: ['automationOverview'],
  cancelAutomationRun: ['automationOverview', 'automationRuns'],
  disconnectWordPress: ['site', 'automationConfig'],
  updateContent: ['contents'],
  deleteContent: ['contents', 'tasks', 'images'],
  createImage: ['images', 'content'],
  updateImage: ['images'],
  deleteImage: ['images', 'content'],
  bulkUpdateImageStatus: ['images'],
  createUser: ['users'],
  removeUser: ['users'],
  updateUserRole: ['users'],
  createAuthorProfile: ['authorProfiles'],
  updateAuthorProfile: ['authorProfiles'],
  deleteAuthorProfile: ['authorProfiles'],
  createStrategy: ['strategies'],
  updateStrategy: ['strategies'],
  deleteStrategy: ['strategies'],
  savePrompt: ['prompts', 'prompt'],
  resetPrompt: ['prompts', 'prompt'],
  updateIntegrationSettings: ['integrationSettings'],
  autoClusterKeywords: ['jobs', 'me'],
  generateIdeas: ['jobs', 'me'],
  generateContent: ['jobs', 'me'],
  generateImagePrompts: ['jobs', 'me'],
  generateImages: ['jobs', 'me'],
  cancelJob: ['jobs', 'me'],
  retryFailedItems: ['jobs', 'me'],
};

/** What each job kind's results change, refreshed when its job finishes. */
export const jobAffects: Record<string, string[]> = {
  AUTO_CLUSTER: ['keywords', 'clusters'],
  GENERATE_IDEAS: ['ideas', 'clusters'],
  GENERATE_CONTENT: ['tasks', 'contents'],
  GENERATE_IMAGE_PROMPTS: ['images', 'contents', 'content'],
  GENERATE_IMAGES: ['images', 'contents', 'content', 'image'],
  PUBLISH: ['contents', 'content'],
  SYNC_WORDPRESS: ['contents', 'content'],
};

const credits = ['jobs', 'me', 'account', 'creditTransactions', 'creditUsage', 'creditUsageTotals'];

export function invalidateLists(cache: Cache, fields: string[]): void {
  for (const f of cache.inspectFields('Query')) {
    if (fields.includes(f.fieldName)) cache.invalidate('Query', f.fieldName, f.arguments ?? undefined);
  }
}

const TERMINAL = new Set(['SUCCEEDED', 'PARTIAL', 'FAILED', 'CANCELLED']);

// Types without an id of their own are stored inside their parent.
const embedded = [
  'AuthPayload', 'PageInfo', 'JobItem', 'ImportKeywordsPayload', 'ImportRowError', 'Outline', 'OutlineSection',
  'JobProgress', 'UsageTotals', 'UsageByOperation', 'UsageBySite',
  'IntegrationSettings', 'ApiKeyStatus', 'FunctionModel', 'IntegrationTest', 'ImageGenerationTest',
  'WordPressConnectionTest', 'PublishingRecord',
  ...['AiJob', 'Cluster', 'Content', 'CreditTransaction', 'CreditUsage', 'Idea', 'Image', 'Keyword', 'Sector',
    'SeedKeyword', 'Site', 'Task', 'User', 'AuthorProfile', 'Strategy'].flatMap((t) => [`${t}Connection`, `${t}Edge`]),
];

export function makeCache() {
  return cacheExchange({
    keys: {
      ...Object.fromEntries(embedded.map((t) => [t, () => null])),
      // one template per AI function and account
      PromptTemplate: (t) => String(t.function),
      WordPressConnection: (c) => String(c.siteId),
    },
    updates: {
      Mutation: Object.fromEntries(
        Object.entries(staleLists).map(([field, lists]) => [
          field,
          (_result: unknown, _args: unknown, cache: Cache) => invalidateLists(cache, lists),
        ]),
      ),
      Subscription: {
        accountJobs: (result, _args, cache) => {
          const p = (result as { accountJobs?: { kind: string; status: string } }).accountJobs;
          if (p && TERMINAL.has(p.status)) invalidateLists(cache, [...(jobAffects[p.kind] ?? []), ...credits]);
        },
      },
    },
  });
}

export interface Clients {
  client: Client;
  ws: WsClient;
}

export function makeClients(store: SessionStore, origin = window.location.origin): Clients {
  const url = new URL('/graphql', origin).toString();
  const ws = createWsClient({
    url: url.replace(/^http/, 'ws'),
    lazy: true,
    // the server closes the socket when the token expires: reconnect with a fresh one
    shouldRetry: () => true,
    retryAttempts: Infinity,
    connectionParams: async () => {
      const token = await store.freshAccessToken();
      return token ? { token } : {};
    },
  });
  const client = new Client({
    url,
    fetch: authFetch(store),
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    exchanges: [
      makeCache(),
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
      fetchExchange,
    ],
  });
  return { client, ws };
}
