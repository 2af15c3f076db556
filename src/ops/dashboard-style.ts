/** The dashboard's stylesheet, inlined into the page (no file, no CDN). */
export const dashboardStyle = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5d6878; --line: #dfe3ea; --card: #fff; --bg: #f4f6f9;
  --push: #2f6fde; --delivered: #1f9d62; --failed: #d64545; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
header { display: flex; align-items: baseline; gap: 1rem; padding: .8rem 1.2rem; background: var(--ink); color: #fff; }
header h1 { margin: 0; font-size: 1.1rem; letter-spacing: .02em; }
#state { font-size: .85rem; color: #c9d1dd; }
#state.error { color: #ffb4b4; }
#sign-out { margin-left: auto; }
main, #login { padding: 1rem 1.2rem; max-width: 1100px; margin: 0 auto; }
h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 1.2rem 0 .5rem; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: .6rem; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .6rem .8rem; }
.tile .label { color: var(--muted); font-size: .8rem; }
.tile .value { font-size: 1.6rem; font-variant-numeric: tabular-nums; }
.tile .rate { color: var(--muted); font-size: .8rem; font-variant-numeric: tabular-nums; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .8rem; }
canvas { width: 100%; height: 140px; display: block; }
.legend { display: flex; gap: 1rem; font-size: .8rem; color: var(--muted); margin-top: .3rem; }
.legend i { display: inline-block; width: .8rem; height: .2rem; margin-right: .3rem; vertical-align: middle; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: right; padding: .3rem .5rem; border-bottom: 1px solid var(--line); }
th:first-child, td:first-child { text-align: left; }
th { color: var(--muted); font-weight: 500; font-size: .8rem; }
.actions { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: .6rem; }
form { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; }
input { font: inherit; padding: .3rem .45rem; border: 1px solid var(--line); border-radius: 5px; min-width: 0; flex: 1 1 8rem; }
button { font: inherit; padding: .3rem .8rem; border: 1px solid var(--ink); border-radius: 5px; background: var(--ink); color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--ink); }
button.danger { background: var(--failed); border-color: var(--failed); }
output { display: block; width: 100%; min-height: 1.3em; font-family: ui-monospace, monospace; font-size: .85rem; color: var(--muted); word-break: break-all; }
[hidden] { display: none !important; }
`;
