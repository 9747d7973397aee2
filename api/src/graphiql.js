// The fallback GraphQL console: queries and mutations over HTTP POST,
// subscriptions over graphql-transport-ws. The token goes in
// `Authorization` and in the socket's `connection_init`.
(() => {
  const $ = (id) => document.getElementById(id);
  const show = (v) => { $('result').textContent = typeof v === 'string' ? v : JSON.stringify(v, null, 2); };
  let socket = null;
  const stop = () => {
    if (socket) socket.close(1000);
    socket = null;
    $('stop').disabled = true;
  };

  const subscribe = (token, query, variables) => {
    const url = new URL('/graphql', location.href);
    url.protocol = url.protocol.replace('http', 'ws');
    socket = new WebSocket(url, 'graphql-transport-ws');
    $('stop').disabled = false;
    const events = [];
    socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init', payload: token ? { token } : {} }));
    socket.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      if (msg.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
      } else if (msg.type === 'next' || msg.type === 'error') {
        events.push(msg.payload);
        show(events);
      } else if (msg.type === 'complete') {
        stop();
      } else if (msg.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong' }));
      }
    };
    socket.onclose = (e) => {
      if (e.code !== 1000) show({ closed: e.code, reason: e.reason, events });
      socket = null;
      $('stop').disabled = true;
    };
  };

  $('run').addEventListener('click', async () => {
    stop();
    const token = $('token').value.trim();
    const query = $('query').value;
    let variables;
    try {
      variables = JSON.parse($('variables').value || '{}');
    } catch (e) {
      return show(`Variables are not JSON: ${e.message}`);
    }
    if (/^\s*subscription\b/.test(query)) return subscribe(token, query, variables);
    const headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      const r = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      show(await r.json());
    } catch (e) {
      show(`Request failed: ${e.message}`);
    }
  });
  $('stop').addEventListener('click', stop);
})();
