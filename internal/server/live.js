/* bantin serve: reloads the page after a rebuild and shows build problems
   over it. Injected by the preview server only, never written to the site. */
(() => {
  'use strict';
  // The build this page was served from; a newer one means reload.
  let version = document.currentScript ? document.currentScript.dataset.version : null;
  let overlay = null;
  // Fonts with every Vietnamese letter on each system: monospace fonts
  // often lack the stacked marks of "ệ" or "ở".
  const FONTS = 'system-ui,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif';
  function showProblems(list) {
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.id = 'bantin-problems';
      overlay.setAttribute('role', 'alert');
      overlay.style.cssText = 'position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:2147483647;' +
        'background:#2b0b0b;color:#fff;font:15px/1.5 ' + FONTS + ';padding:1rem 1.25rem;border-bottom:4px solid #f2b705';
      document.documentElement.append(overlay);
    }
    const title = document.createElement('strong');
    title.textContent = 'Bản dựng lỗi – trang vẫn hiển thị bản tốt gần nhất / Build failed – showing the last good build';
    const pre = document.createElement('pre');
    pre.style.cssText = 'white-space:pre-wrap;margin:.5rem 0 0;font:inherit';
    pre.textContent = list.join('\n');
    overlay.replaceChildren(title, pre);
  }
  // After a rebuild the page may be gone: go to the nearest page that exists.
  async function reload() {
    let p = location.pathname;
    for (let i = 0; i < 10; i++) {
      const r = await fetch(p, { method: 'HEAD', cache: 'no-store' }).catch(() => null);
      if (r && r.ok) break;
      if (p === '/') break;
      p = p.replace(/[^/]*\/?$/, '');
    }
    if (p === location.pathname) location.reload();
    else location.assign(p);
  }
  const events = new EventSource('/__bantin/events');
  events.addEventListener('hello', (e) => {
    if (version !== null && e.data !== version) reload();
    version = e.data;
  });
  events.addEventListener('reload', (e) => {
    if (e.data !== version) reload();
  });
  events.addEventListener('problems', (e) => {
    try { showProblems(JSON.parse(e.data)); } catch (err) { showProblems([String(e.data)]); }
  });
})();
