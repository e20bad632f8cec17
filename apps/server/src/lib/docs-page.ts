/**
 * A small, self-hosted API reference page rendered from /api/openapi.json (no CDN, so it works under
 * the strict CSP and offline). Its one script carries the request's CSP nonce.
 */
export function docsPage(nonce: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>QueueCrew API reference</title></head>
<body><main><h1>QueueCrew API reference</h1><p>The machine-readable contract is at <a href="/api/openapi.json">/api/openapi.json</a>.</p><div id="ops">Loading…</div></main>
<script nonce="${nonce}">
fetch('/api/openapi.json').then(r => r.json()).then(doc => {
  const root = document.getElementById('ops'); root.textContent = '';
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      const section = document.createElement('section');
      const h = document.createElement('h2'); h.textContent = method.toUpperCase() + ' ' + path; section.appendChild(h);
      const p = document.createElement('p'); p.textContent = op.summary || ''; section.appendChild(p);
      const ul = document.createElement('ul');
      for (const [status, res] of Object.entries(op.responses || {})) { const li = document.createElement('li'); li.textContent = status + ': ' + (res.description || ''); ul.appendChild(li); }
      section.appendChild(ul); root.appendChild(section);
    }
  }
});
</script></body></html>`;
}
