// What the self-contained pages (the dashboard, the first page) share: their <head> and their response headers.

/** The <head> of a self-contained page: its title and inline style, no referrer, and no icon to fetch. */
export function pageHead(title: string, style: string): string {
  return `<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <link rel="icon" href="data:,">
  <title>${title}</title>
  <style>${style}</style>
</head>`;
}

/**
 * The response headers of a self-contained page: inline style, scripts only from `scriptSrc`, requests and sockets
 * only to its own server, and no referrer or cached copy that could carry what it showed.
 */
export function pageHeaders(scriptSrc: string): Record<string, string> {
  return {
    'Content-Security-Policy': `default-src 'none'; script-src ${scriptSrc}; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}
