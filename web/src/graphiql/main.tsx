// GraphiQL bundled with the client: no CDN, no external fonts. Queries and
// mutations go over HTTP, subscriptions over the same /graphql WebSocket
// (graphql-ws) with `connectionParams: {token}`. The token is the signed-in
// user's (silently refreshed) unless the Headers tab sets Authorization.
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { createClient } from 'graphql-ws';
import { parse, type DocumentNode } from 'graphql';
import 'graphiql/style.css';
import './graphiql.css';
import { SessionStore } from '../lib/session';

const url = new URL('/graphql', window.location.origin).toString();
const store = new SessionStore(localStorage, fetch.bind(window), url);

function headerToken(headers: Record<string, unknown> | undefined): string | null {
  const auth = headers?.Authorization ?? headers?.authorization;
  const token = typeof auth === 'string' ? auth.replace(/^Bearer\s+/i, '').trim() : '';
  // the placeholder in the default Headers is not a token
  return token && !token.startsWith('<') ? token : null;
}

// one socket per token, so a token pasted into Headers takes effect
let socket: { token: string | null; client: ReturnType<typeof createClient> } | null = null;
function wsFor(token: string | null) {
  if (!socket || socket.token !== token) {
    void socket?.client.dispose();
    socket = {
      token,
      client: createClient({
        url: url.replace(/^http/, 'ws'),
        lazy: true,
        connectionParams: async () => {
          const t = token ?? (await store.freshAccessToken());
          return t ? { token: t } : {};
        },
      }),
    };
  }
  return socket.client;
}

const fetcher: Parameters<typeof GraphiQL>[0]['fetcher'] = async (params, opts) => {
  const explicit = headerToken(opts?.headers);
  const token = explicit ?? (await store.freshAccessToken());
  // GraphiQL's own parse of the editor can lag behind a run right after an
  // edit; the toolkit picks the WebSocket from it, so parse what is sent
  let documentAST: DocumentNode | undefined = opts?.documentAST;
  try {
    documentAST = parse(params.query);
  } catch {
    /* the server reports the syntax error */
  }
  return createGraphiQLFetcher({
    url,
    wsClient: wsFor(explicit),
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  })(params, { ...opts, documentAST });
};

const signedIn = store.get();
const root = document.getElementById('graphiql')!;
createRoot(root).render(
  <GraphiQL
    fetcher={fetcher}
    defaultEditorToolsVisibility
    defaultQuery={'# Signed in as ' + (signedIn?.email ?? 'nobody: sign in at / or set Authorization in Headers') + '\nquery { me { email account { name credits } } }\n'}
    defaultHeaders={signedIn ? '' : '{\n  "Authorization": "Bearer <accessToken>"\n}'}
  />,
);
