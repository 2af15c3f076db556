import { pageHead } from '../html-page.ts';
import { dashboardStyle } from '../ops/dashboard-style.ts';
import { homeScript } from './home-script.ts';
import { homeStyle } from './home-style.ts';

/** What the first page shows about its server; a runtime reads it from its settings. */
export interface HomeSettings {
  /** Whether GET / serves the page (HOME_PAGE=off turns it off). */
  enabled: boolean;
  /** Signed mode: a uid alone cannot connect, and the page says so. */
  signed: boolean;
  /** The text push port, where the server has one: what the PHP line connects to, and whether it wants the token first. */
  textPort?: { host: string; port: number; token: boolean };
}

// Inside a <script type="application/json">: no `<` may end the element early.
const embedded = (value: unknown) => JSON.stringify(value).replaceAll('<', '\\u003c');

/**
 * The first page: connect with a uid, see each push arrive, and the curl and PHP lines that push to that uid.
 * Self-contained (inline style and script) but for pushport/client, which its own server serves; it holds nothing
 * private, so it needs no token, and its lines show `$PUSH_TOKEN` where the publisher token goes.
 */
export function homePage(settings: HomeSettings): string {
  const where = { signed: settings.signed, textPort: settings.textPort ?? null };
  return `<!doctype html>
<html lang="en">
${pageHead('pushport', dashboardStyle + homeStyle)}
<body>
  <header><h1>pushport</h1><span id="state">not connected</span></header>
  <main>
    <p class="lead">Browsers connect to this address with a WebSocket and send their uid. Connect as one here, then
      push to it from a shell or from PHP: each push shows up below as it arrives.</p>
    <p id="signed" class="note" hidden>This server runs in signed mode (CLIENT_SECRET): a client connects with a token your
      backend signs (<code>?token=</code>), so a uid typed here is refused.</p>
    <h2>Connect</h2>
    <form id="connect" class="panel">
      <label for="uid">uid</label>
      <input id="uid" name="uid" value="uid1" required autocomplete="off" spellcheck="false">
      <button>Connect</button>
      <button id="disconnect" class="secondary" type="button" disabled>Disconnect</button>
    </form>
    <h2>Push to it</h2>
    <section class="panel lines">
      <p>With curl, over the HTTP API (the publisher token in <code>$PUSH_TOKEN</code>):</p>
      <pre id="curl-line"></pre>
      <p id="php-label"></p>
      <pre id="php-line"></pre>
    </section>
    <h2>Pushes received</h2>
    <section class="panel">
      <p id="empty">None yet.</p>
      <ol id="pushes" reversed></ol>
    </section>
  </main>
  <script type="application/json" id="where">${embedded(where)}</script>
  <script type="module">${homeScript}</script>
</body>
</html>
`;
}
