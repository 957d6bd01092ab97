import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';

/**
 * What a browser sees at GET /graphql: Apollo's embedded Sandbox (docs/api.md, Running), and
 * under it, in place of Apollo's "Sandbox cannot be loaded" (the Sandbox comes from Apollo's
 * CDN, so an offline machine never gets it), Slotbook's own pointers: the owner page, the
 * booking pages and a curl example. Online, the Sandbox covers this text as it loads.
 *
 * Apollo's options (embed, footer, includeCookies, document) only configure the Sandbox itself;
 * none adds text, so this plugin wraps Apollo's and swaps its fallback block.
 */
export function slotbookLandingPage<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  const apollo = ApolloServerPluginLandingPageLocalDefault({ embed: true });
  return {
    async serverWillStart(service) {
      const listener = await apollo.serverWillStart?.(service);
      const render = listener?.renderLandingPage;
      if (!render) return listener;
      return {
        ...listener,
        async renderLandingPage() {
          const page = await render();
          return {
            html: async () => withPointers(typeof page.html === 'string' ? page.html : await page.html()),
          };
        },
      };
    },
  };
}

const CURL = `curl -s ORIGIN/graphql -H 'content-type: application/json' \\
  -d '{"query":"mutation { createOwner(input: {name: \\"Ada\\", timeZone: \\"Europe/Berlin\\"}) { token owner { id } } }"}'`;

/** Apollo's page with its fallback block replaced by ours (or ours first, should Apollo's change). */
function withPointers(html: string): string {
  // Apollo's page allows only scripts and styles carrying its nonce (its own CSP meta tag).
  const nonce = /nonce="?([0-9a-f]{16,})"?/.exec(html)?.[1];
  const attribute = nonce ? ` nonce="${nonce}"` : '';
  const pointers = `
<div class="fallback slotbook">
  <style${attribute}>
    .slotbook { font-family: system-ui, sans-serif; max-width: 46rem; line-height: 1.5; color: #1c2330; }
    .slotbook pre { background: #f3f5f8; padding: 0.75rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
    .slotbook a { color: #1f5fbf; }
  </style>
  <h1>Slotbook's GraphQL API</h1>
  <p>Apollo Sandbox, the query editor usually shown here, loads from Apollo's servers and could not be reached: this machine may be offline.</p>
  <ul>
    <li><a href="/owner">Your calendar (the owner page)</a>: create a calendar, add availability, see bookings.</li>
    <li>Booking pages: <code>/book/&lt;ownerId&gt;</code>, linked from the owner page.</li>
    <li><a id="slotbook-sandbox" href="https://studio.apollographql.com/sandbox/explorer">Apollo Sandbox</a> on Apollo's site, pointed at this server, once online.</li>
  </ul>
  <p>Or ask with curl:</p>
  <pre id="slotbook-curl">${CURL.replace('ORIGIN', 'http://127.0.0.1:4000')}</pre>
  <script${attribute}>
    document.getElementById('slotbook-curl').textContent = ${JSON.stringify(CURL)}.replace('ORIGIN', window.location.origin);
    document.getElementById('slotbook-sandbox').href += '?endpoint=' + encodeURIComponent(window.location.origin + '/graphql');
  </script>
</div>`;
  const fallback = /<div class="fallback">[\s\S]*?<\/div>/;
  if (fallback.test(html)) return html.replace(fallback, () => pointers);
  return html.replace(/<body>/i, (body) => `${body}${pointers}`);
}
