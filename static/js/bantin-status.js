/* bantin status: keeps the campaign statuses of a page current.
   Every element with data-start and data-end (ISO days, a campaign's first
   and last) gets data-status="upcoming", "ongoing" or "ended" as of the
   reader's day in the site's time zone (the script's data-time-zone,
   Asia/Ho_Chi_Minh by default, whatever the browser's zone), and one with
   class "status" also the label of its status (the script's
   data-label-upcoming, data-label-ongoing and data-label-ended). The page
   carries the statuses as of its build: without this script they stay as
   built. No framework, no inline code: it runs under a
   Content-Security-Policy of script-src 'self'. */
(() => {
  'use strict';
  const script = document.currentScript;
  if (!script) return;
  const labels = { upcoming: script.dataset.labelUpcoming, ongoing: script.dataset.labelOngoing, ended: script.dataset.labelEnded };
  const zone = script.dataset.timeZone || 'Asia/Ho_Chi_Minh';

  // today is the reader's day in the site's zone, as YYYY-MM-DD.
  function today() {
    const now = new Date();
    try {
      const parts = {};
      for (const p of new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now)) parts[p.type] = p.value;
      if (parts.year && parts.month && parts.day) return parts.year + '-' + parts.month + '-' + parts.day;
    } catch (e) {
      // An unknown zone, or no time zone data: Vietnam's UTC+7 below.
    }
    return new Date(now.getTime() + 7 * 3600 * 1000).toISOString().slice(0, 10);
  }

  function update() {
    const day = today();
    for (const el of document.querySelectorAll('[data-start][data-end]')) {
      const status = day < el.dataset.start ? 'upcoming' : day > el.dataset.end ? 'ended' : 'ongoing';
      if (el.dataset.status === status) continue;
      el.dataset.status = status;
      if (el.classList.contains('status') && labels[status]) el.textContent = labels[status];
    }
  }

  update();
  // A page left open past midnight turns with the day.
  setInterval(update, 60 * 1000);
})();
