/** What the first page adds to the dashboard's stylesheet (the same look): the command lines and the push list. */
export const homeStyle = `
main { max-width: 900px; }
.lead { margin: .2rem 0 0; }
.note { background: #fff6e0; border: 1px solid #f0d48a; border-radius: 8px; padding: .6rem .8rem; }
label { color: var(--muted); }
.lines p { margin: .2rem 0 .3rem; color: var(--muted); }
pre { margin: 0 0 .8rem; padding: .6rem .7rem; background: var(--bg); border: 1px solid var(--line); border-radius: 5px;
  font: .85rem/1.45 ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
#empty { margin: 0; color: var(--muted); }
#pushes { margin: 0; padding: 0; list-style: none; }
#pushes li { display: flex; gap: .8rem; align-items: baseline; padding: .35rem 0; border-bottom: 1px solid var(--line); }
#pushes li:last-child { border-bottom: 0; }
#pushes time, #pushes .seq { color: var(--muted); font-size: .8rem; font-variant-numeric: tabular-nums; white-space: nowrap; }
#pushes code { flex: 1; font: .85rem ui-monospace, monospace; word-break: break-all; }
`;
