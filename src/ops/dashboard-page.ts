import { pageHead } from '../html-page.ts';
import { dashboardChartScript } from './dashboard-chart.ts';
import { dashboardScript } from './dashboard-script.ts';
import { dashboardStyle } from './dashboard-style.ts';

const tile = (name: string, label: string, rate: boolean) => `
      <div class="tile"><div class="label">${label}</div><div class="value" data-metric="${name}">–</div>${
  rate ? `<div class="rate" data-metric="${name}-rate">–</div>` : ''}</div>`;

/**
 * The live dashboard: one self-contained page (inline style and script, nothing fetched from elsewhere).
 * It holds no figures; it reads them with the publisher token, taken from `#token=…` or asked for.
 */
export const dashboardPage = `<!doctype html>
<html lang="en">
${pageHead('pushport dashboard', dashboardStyle)}
<body>
  <header><h1>pushport</h1><span id="state"></span><button id="sign-out" class="secondary" type="button" hidden>Sign out</button></header>
  <form id="login" hidden>
    <p id="login-why"></p>
    <label for="token-input">Publisher token</label>
    <input id="token-input" type="password" autocomplete="off" placeholder="PUSH_TOKEN">
    <button>Open the dashboard</button>
  </form>
  <main id="board" hidden>
    <h2>Connections</h2>
    <section class="tiles">${tile('connections', 'Connections', false)}${tile('identified', 'Identified', false)}${tile('uids', 'Uids', false)}
    </section>
    <h2>Pushes (total, and rate over the last minute)</h2>
    <section class="tiles">${tile('pushes', 'Pushes', true)}${tile('delivered', 'Delivered', true)}${tile('failed', 'Failed', true)}${tile('queued', 'Queued', true)}${tile('broadcasts', 'Broadcasts', true)}
    </section>
    <div id="groups" hidden>
      <h2>Groups</h2>
      <section class="tiles">${tile('groups', 'Groups', false)}${tile('group-pushes', 'Group pushes', false)}
      </section>
    </div>
    <h2>Last minute</h2>
    <section class="panel">
      <canvas id="chart" aria-label="pushes, delivered and failed per second over the last minute"></canvas>
      <div class="legend"><span><i style="background:var(--push)"></i>pushes/s</span><span><i style="background:var(--delivered)"></i>delivered/s</span><span><i style="background:var(--failed)"></i>failed/s</span></div>
    </section>
    <h2 id="parts-title">Per process</h2>
    <section class="panel">
      <table id="parts">
        <thead><tr><th id="parts-unit">part</th><th>connections</th><th>identified</th><th>uids</th><th>pushes</th><th>delivered</th><th>failed</th><th>queued</th><th>broadcasts</th><th>pushes/s</th></tr></thead>
        <tbody></tbody>
      </table>
    </section>
    <h2>Actions</h2>
    <section class="actions">
      <form id="push-form" class="panel">
        <input name="uid" placeholder="uid" required>
        <input name="message" placeholder="message" value="hello from the dashboard">
        <button>Send a test push</button>
        <output></output>
      </form>
      <form id="uid-form" class="panel">
        <input name="uid" placeholder="uid" required>
        <button value="lookup" class="secondary">Look up</button>
        <button value="kick" class="danger">Kick</button>
        <output></output>
      </form>
    </section>
  </main>
  <script>${dashboardScript}${dashboardChartScript}</script>
</body>
</html>
`;
