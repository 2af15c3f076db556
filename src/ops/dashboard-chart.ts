/**
 * The dashboard's chart, inlined into the page after its script (it reads the script's samples): pushes,
 * delivered and failed per second over the last minute, drawn on a canvas.
 */
export const dashboardChartScript = String.raw`
// Counts per second over the last minute, from the polls (index 59 is the second now running).
function perSecond(key, now) {
  const bins = new Array(60).fill(0);
  for (let i = 1; i < samples.length; i++) {
    const age = Math.floor((now - samples[i].t) / 1000);
    if (age < 60) bins[59 - age] += Math.max(0, samples[i].total[key] - samples[i - 1].total[key]);
  }
  return bins;
}

function drawChart() {
  const canvas = $('#chart');
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  canvas.width = w * ratio;
  canvas.height = h * ratio;
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  const now = performance.now();
  const since = samples.length ? Math.max(0, 59 - Math.floor((now - samples[0].t) / 1000)) : 60;
  const lines = series.map(([key]) => perSecond(key, now));
  const top = Math.max(1, ...lines.flat()) * 1.15;
  const styles = getComputedStyle(document.documentElement);
  const x = (i) => ((i + 0.5) / 60) * w;
  const y = (v) => h - 1 - (v / top) * (h - 18);
  g.strokeStyle = styles.getPropertyValue('--line');
  g.beginPath();
  g.moveTo(0, h - 0.5);
  g.lineTo(w, h - 0.5);
  g.stroke();
  series.forEach(([, color], n) => {
    g.strokeStyle = styles.getPropertyValue(color);
    g.lineWidth = 1.5;
    g.beginPath();
    for (let i = since; i < 60; i++) {
      if (i === since) g.moveTo(x(i), y(lines[n][i])); else g.lineTo(x(i), y(lines[n][i]));
    }
    g.stroke();
  });
  g.fillStyle = styles.getPropertyValue('--muted');
  g.font = '11px system-ui, sans-serif';
  g.fillText('per second over the last 60 s · peak ' + fmt(Math.round(top / 1.15)) + '/s', 4, 12);
}
`;
