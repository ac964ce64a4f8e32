// bantin's newsroom editor. Plain JavaScript, no build step: the page gets
// its strings and session from a JSON block, and everything else from the
// JSON API under /_bantin/api/. Text from articles is only ever set as
// textContent or input values, never parsed as HTML.
(function () {
  "use strict";

  const boot = JSON.parse(document.getElementById("bantin-editor-data").textContent);
  const S = boot.strings;
  const API = boot.prefix + "api/";
  const app = document.getElementById("app");
  const storePrefix = "bantin-editor:" + location.host + ":";

  let csrf = boot.csrf || "";
  let schema = null;
  // The article being edited: id ("" for a new one), its version, and the
  // values as last loaded or saved, to tell what the editor changed.
  let current = null;
  let dirty = false;
  let listState = { q: "", status: "", region: "", period: "", year: "", page: 1 };
  let timers = {};

  function t(key, ...args) {
    // A count of 1 takes the singular, where the language has one.
    let s = (args.length === 1 && args[0] === 1 && S[key + "_one"]) || S[key] || key;
    args.forEach((a, i) => { s = s.replace("{" + i + "}", a); });
    return s;
  }

  // h builds an element: h("p", {class: "x", onclick: f}, "text", child).
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "class") el.className = v;
      else if (k === "value") el.value = v;
      else if (k === "checked") el.checked = !!v;
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  function debounce(name, ms, fn) {
    clearTimeout(timers[name]);
    timers[name] = setTimeout(fn, ms);
  }

  // api calls the JSON API; state changes carry the CSRF token.
  async function api(method, path, body, headers) {
    const opts = { method, headers: Object.assign({}, headers), credentials: "same-origin" };
    if (method !== "GET" && method !== "HEAD") opts.headers["X-Bantin-CSRF"] = csrf;
    if (body instanceof FormData) opts.body = body;
    else if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(API + path, opts);
    } catch (e) {
      return { status: 0, data: { error: t("err_network") } };
    }
    const type = res.headers.get("Content-Type") || "";
    const data = type.startsWith("application/json") ? await res.json() : await res.text();
    if (res.status === 401 && path !== "login") {
      showLogin();
    }
    return { status: res.status, data, etag: res.headers.get("ETag") };
  }

  function escapeID(id) {
    return id.split("/").map(encodeURIComponent).join("/");
  }

  // ---- frame -------------------------------------------------------------

  function frame(title, ...content) {
    app.replaceChildren(
      h("header", { class: "bar" },
        h("a", { class: "brand", href: "#/" }, boot.siteTitle),
        h("nav", { "aria-label": t("nav") },
          navLink("#/", null, t("nav_articles")),
          navLink("#/new", "primary", t("nav_new")),
          navLink("#/trash", null, t("nav_trash")),
          h("a", { href: boot.basePath, target: "_blank", rel: "noopener" }, t("nav_site")),
          boot.login ? h("button", { type: "button", class: "link", onclick: logout }, t("nav_logout")) : null)),
      h("main", { id: "main", tabindex: "-1" }, h("h1", {}, title), ...content));
    document.title = title + " – " + boot.siteTitle;
  }

  // navLink is a link of the bar, marked as the current page for screen
  // readers when the editor shows it.
  function navLink(href, cls, label) {
    const here = "#" + (location.hash.replace(/^#/, "") || "/");
    return h("a", { href, class: cls, "aria-current": here === href ? "page" : null }, label);
  }

  function notice(kind, ...content) {
    return h("div", { class: "notice " + kind, role: kind === "error" ? "alert" : "status" }, ...content);
  }

  // ---- login -------------------------------------------------------------

  function showLogin() {
    const user = h("input", { id: "login-user", name: "user", autocomplete: "username", required: true });
    const pass = h("input", { id: "login-password", name: "password", type: "password", autocomplete: "current-password", required: true });
    const msg = h("p", { id: "login-error", class: "error", role: "alert" });
    const form = h("form", { class: "login", onsubmit: async (ev) => {
      ev.preventDefault();
      msg.textContent = "";
      const r = await api("POST", "login", { user: user.value, password: pass.value });
      if (r.status === 200) {
        csrf = r.data.csrf;
        route();
      } else {
        msg.textContent = r.data.error || t("err_bad_login");
        pass.value = "";
        pass.focus();
      }
    } },
      h("label", { for: "login-user" }, t("login_user")), user,
      h("label", { for: "login-password" }, t("login_password")), pass,
      msg,
      h("button", { type: "submit", class: "primary" }, t("login_submit")));
    app.replaceChildren(h("main", { id: "main" }, h("h1", {}, t("login_title")), form));
    user.focus();
  }

  async function logout() {
    await api("POST", "logout", {});
    csrf = "";
    showLogin();
  }

  // ---- list --------------------------------------------------------------

  function statusLabel(s) { return t("status_" + s); }

  function formatDate(iso) {
    if (!iso) return "";
    // The API gives the site's local time with its offset: show it as is.
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
    return m ? m[3] + "/" + m[2] + "/" + m[1] + " " + m[4] + ":" + m[5] : iso;
  }

  // when writes a moment as the rest of the editor writes dates,
  // "03/12/2026 21:08", in the site's time zone (the browser's when the
  // zone is unknown to it): not in the browser's locale, which could show
  // "12/3/2026, 9:08 PM" to a Vietnamese reader.
  function when(moment) {
    const d = new Date(moment);
    if (isNaN(d)) return "";
    let f;
    try {
      f = new Intl.DateTimeFormat("en-GB", { timeZone: boot.timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    } catch (e) {
      f = new Intl.DateTimeFormat("en-GB", { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    }
    const p = {};
    for (const part of f.formatToParts(d)) p[part.type] = part.value;
    return p.day + "/" + p.month + "/" + p.year + " " + p.hour + ":" + p.minute;
  }

  function unsavedDrafts() {
    const out = [];
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (!k.startsWith(storePrefix)) continue;
      try {
        out.push(Object.assign({ key: k }, JSON.parse(localStorage.getItem(k))));
      } catch (e) { /* not ours */ }
    }
    return out;
  }

  async function showList() {
    const q = h("input", { id: "list-q", type: "search", value: listState.q, placeholder: t("search_placeholder") });
    const select = (id, label, options, value) => {
      const s = h("select", { id }, h("option", { value: "" }, t("all")),
        options.map((o) => h("option", { value: o.value }, o.label)));
      s.value = value;
      return [h("label", { for: id }, label), s];
    };
    const results = h("div", { id: "list-results", "aria-live": "polite" });
    const filters = h("div", { class: "filters" });
    const form = h("form", { role: "search", class: "search", onsubmit: (ev) => ev.preventDefault() },
      h("label", { for: "list-q" }, t("search_label")), q, filters);
    const drafts = unsavedDrafts();
    frame(t("nav_articles"),
      drafts.length ? notice("warn", h("p", {}, t("unsaved_drafts")),
        h("ul", {}, drafts.map((d) => h("li", {},
          h("a", { href: d.id ? "#/edit/" + escapeID(d.id) : "#/new" }, d.title || t("untitled")),
          " ", h("span", { class: "muted" }, when(d.savedAt)))))) : null,
      form, results);
    const load = async () => {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(listState)) if (v) p.set(k, v);
      const r = await api("GET", "articles?" + p.toString());
      if (r.status !== 200) {
        results.replaceChildren(notice("error", r.data.error || t("err_io")));
        return;
      }
      const f = r.data.facets;
      if (!filters.childElementCount) {
        filters.append(
          ...select("list-status", t("filter_status"), ["draft", "published", "scheduled", "invalid"].map((s) => ({ value: s, label: statusLabel(s) })), listState.status),
          ...select("list-region", t("field_region"), (f.regions || []).map((x) => ({ value: x, label: x })), listState.region),
          ...select("list-period", t("field_period"), f.periods || [], listState.period),
          ...select("list-year", t("filter_year"), (f.years || []).map((y) => ({ value: String(y), label: String(y) })), listState.year));
        for (const k of ["status", "region", "period", "year"]) {
          document.getElementById("list-" + k).addEventListener("change", (ev) => {
            listState[k] = ev.target.value;
            listState.page = 1;
            load();
          });
        }
      }
      const d = r.data;
      // replaceChildren, unlike h, writes a null out as the text "null":
      // the pager is there or left out.
      results.replaceChildren(
        h("p", { class: "count" }, t("found", d.total)),
        h("ul", { class: "articles" }, d.items.map((it) => h("li", {},
          h("a", { href: "#/edit/" + escapeID(it.id), class: "title" }, it.title),
          h("span", { class: "badge " + it.status }, statusLabel(it.status)),
          h("span", { class: "meta" }, [formatDate(it.date), it.region, it.period].filter(Boolean).join(" · ")),
          it.problem ? h("span", { class: "problem" }, it.problem) : null))),
        ...(d.pages > 1 ? [h("nav", { class: "pager", "aria-label": t("pagination") },
          h("button", { type: "button", disabled: d.page <= 1, onclick: () => { listState.page--; load(); } }, t("prev")),
          h("span", {}, t("page_of", d.page, d.pages)),
          h("button", { type: "button", disabled: d.page >= d.pages, onclick: () => { listState.page++; load(); } }, t("next")))] : []));
    };
    q.addEventListener("input", () => debounce("search", 200, () => {
      listState.q = q.value;
      listState.page = 1;
      load();
    }));
    refreshOnRebuild = load;
    await load();
  }

  // ---- trash -------------------------------------------------------------

  async function showTrash() {
    const r = await api("GET", "trash");
    const items = r.status === 200 ? r.data.items : [];
    const list = h("ul", { class: "articles" }, items.map((it) => h("li", {},
      h("span", { class: "title" }, it.title || it.article),
      h("span", { class: "meta" }, it.article + " · " + t("deleted_at", when(it.deletedAt))),
      h("button", { type: "button", onclick: async (ev) => {
        const res = await api("POST", "trash/restore", { id: it.id });
        if (res.status === 200) location.hash = "#/edit/" + escapeID(res.data.id);
        else ev.target.after(h("span", { class: "error", role: "alert" }, res.data.error || t("err_io")));
      } }, t("restore")))));
    frame(t("nav_trash"), items.length ? list : h("p", {}, t("trash_empty")));
    refreshOnRebuild = null;
  }

  // ---- the article form ---------------------------------------------------

  const inputs = {};      // field key -> element holding its value
  let listValues = {};    // list field key -> array of terms

  function fieldID(key) { return "f-" + key; }

  function helpFor(f) {
    return f.help ? h("p", { class: "help", id: "help-" + f.key }, f.help) : null;
  }

  function datalist(f) {
    if (!f.suggestions || !f.suggestions.length) return null;
    return h("datalist", { id: "dl-" + f.key }, f.suggestions.map((s) => h("option", { value: s })));
  }

  function describedBy(f) {
    return [f.help ? "help-" + f.key : "", "err-" + f.key].filter(Boolean).join(" ");
  }

  function renderField(f) {
    const id = fieldID(f.key);
    const err = h("p", { class: "error", id: "err-" + f.key, hidden: true });
    const label = h("label", { for: id }, f.label, f.required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null);
    const common = { id, name: f.key, "aria-describedby": describedBy(f), placeholder: f.placeholder || null, required: f.required || null };
    let control;
    switch (f.kind) {
      case "bool":
        control = h("input", Object.assign(common, { type: "checkbox" }));
        inputs[f.key] = control;
        return h("div", { class: "field check", "data-field": f.key }, control, label, helpFor(f), err);
      case "longtext":
        control = h("textarea", Object.assign(common, { rows: 3 }));
        break;
      case "list":
        return renderList(f, label, err);
      case "date":
        control = h("input", Object.assign(common, { type: "text", inputmode: "numeric", autocomplete: "off" }));
        inputs[f.key] = control;
        return h("div", { class: "field", "data-field": f.key }, label,
          h("div", { class: "row" }, control,
            h("button", { type: "button", onclick: () => { control.value = schema.now; changed(); } }, t("now"))),
          helpFor(f), err);
      case "image":
        control = h("input", Object.assign(common, { type: "text", inputmode: "url" }));
        inputs[f.key] = control;
        return h("div", { class: "field", "data-field": f.key }, label,
          h("div", { class: "row" }, control, uploadButton(t("upload_image"), (u) => { control.value = u.path; changed(); })),
          helpFor(f), err);
      default:
        control = h("input", Object.assign(common, { type: f.kind === "url" ? "url" : "text", list: f.suggestions && f.suggestions.length ? "dl-" + f.key : null, autocomplete: "off" }));
    }
    inputs[f.key] = control;
    return h("div", { class: "field", "data-field": f.key }, label, control, datalist(f), helpFor(f), err);
  }

  // renderList is a field of several terms: chips, and a box to add one.
  function renderList(f, label, err) {
    const id = fieldID(f.key);
    const chips = h("ul", { class: "chips", "aria-label": f.label });
    const input = h("input", { id, type: "text", list: f.suggestions && f.suggestions.length ? "dl-" + f.key : null,
      "aria-describedby": describedBy(f), placeholder: f.placeholder || null, autocomplete: "off" });
    const draw = () => {
      chips.replaceChildren(...listValues[f.key].map((term, i) => h("li", {}, term,
        h("button", { type: "button", class: "chip-x", "aria-label": t("remove_term", term), onclick: () => {
          listValues[f.key].splice(i, 1);
          draw();
          changed();
          input.focus();
        } }, "×"))));
    };
    const add = () => {
      for (const part of input.value.split(",")) {
        const v = part.trim();
        if (v && !listValues[f.key].includes(v)) listValues[f.key].push(v);
      }
      input.value = "";
      draw();
      changed();
    };
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === ",") {
        ev.preventDefault();
        add();
      } else if (ev.key === "Backspace" && !input.value && listValues[f.key].length) {
        listValues[f.key].pop();
        draw();
        changed();
      }
    });
    input.addEventListener("change", () => { if (input.value.includes(",") || (f.suggestions || []).includes(input.value)) add(); });
    input.addEventListener("blur", () => { if (input.value.trim()) add(); });
    inputs[f.key] = { isList: true, draw, input };
    return h("div", { class: "field", "data-field": f.key }, label, chips, input, datalist(f), helpFor(f), err);
  }

  function uploadButton(label, done) {
    const file = h("input", { type: "file", accept: "image/jpeg,image/png,image/gif,image/webp", class: "visually-hidden", tabindex: "-1" });
    const button = h("button", { type: "button", onclick: () => file.click() }, label);
    file.addEventListener("change", async () => {
      for (const f of file.files) {
        const u = await upload(f);
        if (u) done(u);
      }
      file.value = "";
    });
    return h("span", { class: "upload" }, button, file);
  }

  async function upload(file) {
    const status = document.getElementById("status");
    if (schema && file.size > schema.maxUpload) {
      say(status, "error", t("err_too_large", sizeName(schema.maxUpload)));
      return null;
    }
    const fd = new FormData();
    fd.append("file", file, file.name);
    say(status, "info", t("uploading", file.name));
    const r = await api("POST", "upload", fd);
    if (r.status !== 201) {
      say(status, "error", r.data.error || t("err_io"));
      return null;
    }
    say(status, "ok", t("uploaded", r.data.path));
    return r.data;
  }

  // sizeName writes bytes as the server's messages do: "10 MB", "4 KB".
  function sizeName(n) {
    if (n >= 1048576) return (n % 1048576 ? (n / 1048576).toFixed(1) : String(n / 1048576)) + " MB";
    if (n >= 1024) return Math.floor(n / 1024) + " KB";
    return n + " B";
  }

  function say(el, kind, text) {
    if (!el) return;
    el.className = "status " + kind;
    el.textContent = text;
  }

  // values reads the form.
  function values() {
    const out = {};
    for (const f of schema.fields) {
      const el = inputs[f.key];
      if (!el) continue;
      if (el.isList) {
        // A term typed but not yet added counts, without being added.
        const list = listValues[f.key].slice();
        for (const part of el.input.value.split(",")) {
          const v = part.trim();
          if (v && !list.includes(v)) list.push(v);
        }
        out[f.key] = list;
      } else if (f.kind === "bool") out[f.key] = el.checked;
      else out[f.key] = el.value;
    }
    return out;
  }

  // fill puts values into the form.
  function fill(vals, body) {
    for (const f of schema.fields) {
      const el = inputs[f.key];
      if (!el) continue;
      const v = vals[f.key];
      if (el.isList) {
        listValues[f.key] = Array.isArray(v) ? v.slice() : [];
        el.input.value = "";
        el.draw();
      } else if (f.kind === "bool") el.checked = !!v;
      else el.value = v === undefined || v === null ? "" : String(v);
    }
    document.getElementById("body").value = body || "";
  }

  function formState() {
    return { fields: values(), body: document.getElementById("body").value };
  }

  function sameState(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function storeKey() { return storePrefix + (current.id || "new"); }

  // changed marks the form dirty, saves it in the browser and schedules a
  // preview.
  function changed() {
    const state = formState();
    dirty = !sameState(state, current.loaded);
    updatePublishLabel();
    // The draft is kept under the article it was typed in, named now: by
    // the time the timer fires, the editor may have opened another.
    const key = storeKey(), id = current.id, etag = current.etag;
    if (dirty) {
      pendingAutosave = () => {
        try {
          localStorage.setItem(key, JSON.stringify({ id, etag, savedAt: Date.now(),
            title: state.fields.title || "", fields: state.fields, body: state.body }));
        } catch (e) { /* storage full or off: the server copy is still there */ }
      };
      debounce("autosave", 400, flushAutosave);
    } else {
      dropAutosave();
      localStorage.removeItem(key);
    }
    debounce("preview", 500, preview);
  }

  // The form's latest unsaved state, waiting to be kept in the browser.
  let pendingAutosave = null;

  // flushAutosave keeps the waiting state now: when the editor leaves the
  // form, or the timer fires.
  function flushAutosave() {
    clearTimeout(timers.autosave);
    const keep = pendingAutosave;
    pendingAutosave = null;
    if (keep) keep();
  }

  // dropAutosave forgets the waiting state: it was saved, or undone.
  function dropAutosave() {
    clearTimeout(timers.autosave);
    pendingAutosave = null;
  }

  function clearErrors() {
    for (const el of document.querySelectorAll("[data-field] .error")) {
      el.hidden = true;
      el.textContent = "";
    }
    for (const el of document.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    const sum = document.getElementById("problems");
    if (sum) sum.replaceChildren();
  }

  // showProblems puts each problem next to its field, and a summary with
  // links to them at the top. It moves the focus to the first field in
  // error only when told to: not while the editor types somewhere else.
  function showProblems(problems, moveFocus) {
    clearErrors();
    const sum = document.getElementById("problems");
    const items = [];
    let first = null;
    for (const p of problems) {
      const key = p.field || "";
      const err = key && document.getElementById("err-" + key);
      const fieldEl = key === "body" ? document.getElementById("body") : (inputs[key] && (inputs[key].input || inputs[key]));
      if (err) {
        err.hidden = false;
        err.textContent = err.textContent ? err.textContent + " " + p.message : p.message;
        if (fieldEl) fieldEl.setAttribute("aria-invalid", "true");
        first = first || fieldEl;
      }
      const label = key && schema.fields.find((f) => f.key === key);
      items.push(h("li", {}, key && fieldEl ? h("a", { href: "#", onclick: (ev) => { ev.preventDefault(); fieldEl.focus(); } },
        (label ? label.label : t("body_label")) + ": " + p.message) : p.message,
        h("span", { class: "detail" }, p.detail)));
    }
    sum.replaceChildren(h("div", { class: "notice error", role: "alert" }, h("p", {}, t("fix_problems")), h("ul", {}, items)));
    if (first && moveFocus) first.focus();
  }

  // isFuture compares the date field with the site's clock, both written
  // "YYYY-MM-DD HH:MM" in the site's zone.
  function isFuture() {
    const d = (inputs.date && inputs.date.value || "").trim().replace("T", " ");
    return /^\d{4}-\d{2}-\d{2}/.test(d) && d.slice(0, 16) > schema.now;
  }

  function updatePublishLabel() {
    const b = document.getElementById("publish");
    if (b) b.textContent = isFuture() ? t("schedule") : t("publish");
  }

  let saving = false;
  // A save asked for while another is on its way runs after it, with the
  // form as it is then, so what the page says is about what was typed
  // last: {publish, of: the article (current) it was asked for}, or null.
  let queuedSave = null;

  async function save(publish) {
    if (saving) {
      const same = queuedSave && queuedSave.of === current;
      queuedSave = { publish: publish || !!(same && queuedSave.publish), of: current };
      return;
    }
    saving = true;
    try {
      await saveNow(publish);
      while (queuedSave && queuedSave.of === current && document.getElementById("article-form")) {
        const next = queuedSave;
        queuedSave = null;
        await saveNow(next.publish);
      }
    } finally {
      saving = false;
      queuedSave = null;
    }
  }

  async function saveNow(publish) {
    const status = document.getElementById("status");
    if (publish && inputs.draft) inputs.draft.checked = false;
    const state = formState();
    // Where the editor was when saving began: if they have gone on typing
    // elsewhere by the time the answer comes, the focus stays with them.
    const focusAtStart = document.activeElement;
    // The article saved, and where the browser keeps its draft: the editor
    // may open another before the answer comes.
    const mine = current, key = storeKey();
    say(status, "info", t("saving"));
    let r;
    if (current.id) {
      r = await api("PUT", "articles/" + escapeID(current.id), state, { "If-Match": current.etag });
    } else {
      r = await api("POST", "articles", state);
    }
    const saved = r.status === 200 || r.status === 201;
    if (current !== mine) {
      // The form shows another article now: the answer is not about it.
      if (saved) localStorage.removeItem(key);
      return;
    }
    if (saved) {
      const wasNew = !current.id;
      // What was typed while the save was on its way stays in the form,
      // unsaved, instead of being replaced by the saved version.
      const typedSince = !sameState(formState(), state);
      if (!typedSince) dropAutosave();
      localStorage.removeItem(key);
      loadArticle(r.data, typedSince ? state : null);
      clearErrors();
      say(status, "ok", t("saved_" + r.data.status));
      if (r.data.url && r.data.status === "published") {
        status.append(" ", h("a", { href: r.data.url, target: "_blank", rel: "noopener" }, t("view_on_site")));
      }
      if (wasNew) history.replaceState(null, "", "#/edit/" + escapeID(r.data.id));
      return;
    }
    if (publish && inputs.draft && current.loaded.fields.draft) inputs.draft.checked = true;
    if (r.status === 409 && r.data.current) {
      say(status, "error", t("conflict"));
      showConflict(r.data.current);
      return;
    }
    if (r.status === 422) {
      say(status, "error", t("not_saved"));
      showProblems(r.data.problems || [], document.activeElement === focusAtStart || document.activeElement === document.body);
      return;
    }
    say(status, "error", (r.data && r.data.error) || t("err_io"));
  }

  // loadArticle makes a version from the server the form's base. With
  // saved (the form state that became this version), the form keeps what
  // the editor typed since, as unsaved changes.
  function loadArticle(a, saved) {
    current.id = a.id;
    current.etag = a.etag;
    current.url = a.url;
    if (saved) {
      current.loaded = saved;
    } else {
      fill(a.fields || {}, a.body || "");
      current.loaded = formState();
    }
    dirty = false;
    updatePublishLabel();
    const title = document.querySelector("main h1");
    if (title) title.textContent = a.fields && a.fields.title ? a.fields.title : t("nav_new");
    const del = document.getElementById("delete");
    if (del) del.hidden = !current.id;
    const diskNote = document.getElementById("disk");
    if (diskNote) diskNote.replaceChildren();
    if (saved) changed();
    else preview();
  }

  // showConflict lays the editor's version beside the one on disk, field
  // by field, to choose from; the choice becomes the form, based on the
  // disk's version, ready to save.
  function showConflict(theirs) {
    const mine = formState();
    const box = document.getElementById("conflict");
    const rows = [];
    const choices = {};
    const show = (v) => Array.isArray(v) ? v.join(", ") : (typeof v === "boolean" ? (v ? "✓" : "–") : (v || ""));
    for (const f of schema.fields) {
      const a = normal(f, mine.fields[f.key]), b = normal(f, theirs.fields[f.key]);
      if (JSON.stringify(a) === JSON.stringify(b)) continue;
      choices[f.key] = "mine";
      rows.push(conflictRow(f.key, f.label, show(a), show(b), choices));
    }
    if (mine.body !== theirs.body) {
      choices.body = "mine";
      rows.push(conflictRow("body", t("body_label"), mine.body, theirs.body, choices, true));
    }
    box.hidden = false;
    box.replaceChildren(h("h2", { tabindex: "-1", id: "conflict-title" }, t("conflict_title")),
      h("p", {}, t("conflict_help")),
      h("div", { class: "conflict-rows" }, rows),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "primary", id: "conflict-apply", onclick: () => {
          const fields = {};
          for (const f of schema.fields) fields[f.key] = choices[f.key] === "theirs" ? theirs.fields[f.key] : mine.fields[f.key];
          const body = choices.body === "theirs" ? theirs.body : mine.body;
          current.etag = theirs.etag;
          current.loaded = { fields: theirs.fields, body: theirs.body };
          fill(fields, body);
          box.hidden = true;
          changed();
          say(document.getElementById("status"), "info", t("conflict_applied"));
        } }, t("conflict_apply")),
        h("button", { type: "button", onclick: () => { box.hidden = true; } }, t("cancel"))));
    document.getElementById("conflict-title").focus();
  }

  // normal is a field's value with absence spelled as the form shows it.
  function normal(f, v) {
    if (f.kind === "bool") return !!v;
    if (f.kind === "list") return Array.isArray(v) ? v : [];
    return v === undefined || v === null ? "" : v;
  }

  function conflictRow(key, label, a, b, choices, long) {
    const name = "choose-" + key;
    const cell = (which, text, title) => h("label", { class: "version" },
      h("input", { type: "radio", name, value: which, checked: which === "mine", onchange: () => { choices[key] = which; } }),
      h("span", { class: "version-title" }, title),
      long ? h("pre", {}, text) : h("span", { class: "value" }, text));
    return h("fieldset", { class: "conflict-row" }, h("legend", {}, label),
      cell("mine", a, t("mine")), cell("theirs", b, t("theirs")));
  }

  let previewSeq = 0;
  async function preview() {
    const frameEl = document.getElementById("preview");
    if (!frameEl) return;
    const seq = ++previewSeq, mine = current;
    const state = formState();
    const r = await api("POST", "preview", { id: current.id, fields: state.fields, body: state.body });
    // A newer preview is on its way, or the form is gone or shows another article.
    if (seq !== previewSeq || current !== mine || !frameEl.isConnected) return;
    const note = document.getElementById("preview-problems");
    if (r.status === 200) {
      note.replaceChildren();
      frameEl.srcdoc = r.data;
    } else {
      note.replaceChildren(notice("warn", h("p", {}, t("preview_problems")),
        h("ul", {}, (r.data.problems || [{ message: r.data.error }]).map((p) => h("li", {}, p.message)))));
    }
  }

  // ---- Markdown toolbar ----------------------------------------------------

  function surround(ta, before, after, placeholder) {
    const { selectionStart: s, selectionEnd: e, value } = ta;
    const sel = value.slice(s, e) || placeholder;
    ta.setRangeText(before + sel + after, s, e, "end");
    ta.setSelectionRange(s + before.length, s + before.length + sel.length);
    ta.focus();
    changed();
  }

  function prefixLines(ta, prefix) {
    const { selectionStart: s, selectionEnd: e, value } = ta;
    const start = value.lastIndexOf("\n", s - 1) + 1;
    const block = value.slice(start, e);
    ta.setRangeText(block.split("\n").map((l) => prefix + l).join("\n"), start, e, "end");
    ta.focus();
    changed();
  }

  function insertText(ta, text) {
    const s = ta.selectionStart;
    const before = ta.value.slice(0, s);
    const pad = before && !before.endsWith("\n\n") ? (before.endsWith("\n") ? "\n" : "\n\n") : "";
    ta.setRangeText(pad + text + "\n", s, ta.selectionEnd, "end");
    ta.focus();
    changed();
  }

  function toolbar(ta) {
    const b = (label, key, fn) => h("button", { type: "button", "aria-label": t(key), title: t(key) + (shortcuts[key] ? " (" + shortcuts[key] + ")" : ""), onclick: fn }, label);
    return h("div", { class: "toolbar", role: "toolbar", "aria-label": t("toolbar"), "aria-controls": "body" },
      b("B", "bold", () => surround(ta, "**", "**", t("bold"))),
      b("I", "italic", () => surround(ta, "*", "*", t("italic"))),
      b("H", "heading", () => prefixLines(ta, "## ")),
      b("[ ]", "link", () => surround(ta, "[", "](https://)", t("link"))),
      b("•", "list", () => prefixLines(ta, "- ")),
      b("❝", "quote", () => prefixLines(ta, "> ")),
      uploadButton(t("image"), (u) => insertText(ta, u.markdown)));
  }

  const shortcuts = { bold: "Ctrl+B", italic: "Ctrl+I", link: "Ctrl+K" };

  // ---- the edit view --------------------------------------------------------

  async function showEditor(id) {
    if (!schema) {
      const r = await api("GET", "schema");
      if (r.status !== 200) return;
      schema = r.data;
    }
    let article = { id: "", etag: "", fields: { draft: true, date: schema.now }, body: "" };
    if (id) {
      const r = await api("GET", "articles/" + escapeID(id));
      if (r.status === 404) {
        frame(t("not_found"), notice("error", t("err_not_found")));
        return;
      }
      if (r.status !== 200) return;
      article = r.data;
    }
    current = { id: article.id, etag: article.etag, loaded: null };
    for (const k of Object.keys(inputs)) delete inputs[k];
    listValues = {};
    for (const f of schema.fields) if (f.kind === "list") listValues[f.key] = [];

    const body = h("textarea", { id: "body", name: "body", rows: 18, "aria-describedby": "help-body err-body", spellcheck: "true" });
    body.addEventListener("input", changed);
    body.addEventListener("keydown", (ev) => {
      if (!(ev.ctrlKey || ev.metaKey)) return;
      const k = ev.key.toLowerCase();
      if (k === "b") { ev.preventDefault(); surround(body, "**", "**", t("bold")); }
      if (k === "i") { ev.preventDefault(); surround(body, "*", "*", t("italic")); }
      if (k === "k") { ev.preventDefault(); surround(body, "[", "](https://)", t("link")); }
    });
    body.addEventListener("dragover", (ev) => { ev.preventDefault(); body.classList.add("drop"); });
    body.addEventListener("dragleave", () => body.classList.remove("drop"));
    body.addEventListener("drop", async (ev) => {
      ev.preventDefault();
      body.classList.remove("drop");
      for (const f of ev.dataTransfer.files) {
        const u = await upload(f);
        if (u) insertText(body, u.markdown);
      }
    });

    const main = schema.fields.filter((f) => f.key !== "slug");
    const advanced = schema.fields.filter((f) => f.key === "slug");
    // Enter in a one-line field does not save: a half-typed title would
    // name the new file for good. The form has no submit button, so a
    // browser never submits it by itself; Save, Publish and Ctrl+S do.
    const form = h("form", { id: "article-form", novalidate: true, onsubmit: (ev) => ev.preventDefault() },
      main.map(renderField),
      h("div", { class: "field", "data-field": "body" },
        h("label", { for: "body" }, t("body_label")), toolbar(body), body,
        h("p", { class: "help", id: "help-body" }, t("help_body")),
        h("p", { class: "error", id: "err-body", hidden: true })),
      advanced.length ? h("details", {}, h("summary", {}, t("advanced")), advanced.map(renderField)) : null,
      h("div", { class: "actions" },
        h("button", { type: "button", id: "save", onclick: () => save(false) }, t("save")),
        h("button", { type: "button", id: "publish", class: "primary", onclick: () => save(true) }, t("publish")),
        h("button", { type: "button", id: "delete", class: "danger", hidden: !article.id, onclick: remove }, t("delete"))),
      h("p", { id: "status", class: "status", role: "status", "aria-live": "polite" }));
    form.addEventListener("keydown", (ev) => {
      if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === "s") {
        ev.preventDefault();
        save(false);
      }
    });
    form.addEventListener("input", (ev) => { if (ev.target !== body) changed(); });
    form.addEventListener("change", (ev) => { if (ev.target !== body) changed(); });

    frame(article.fields && article.fields.title ? article.fields.title : t("nav_new"),
      h("div", { id: "restored" }), h("div", { id: "disk" }), h("div", { id: "problems" }),
      h("section", { id: "conflict", class: "conflict", hidden: true, "aria-labelledby": "conflict-title" }),
      h("div", { class: "editor" }, form,
        h("section", { class: "preview-pane", "aria-label": t("preview") },
          h("h2", {}, t("preview")),
          h("div", { id: "preview-problems" }),
          h("iframe", { id: "preview", title: t("preview"), sandbox: "allow-same-origin", loading: "lazy" }))));
    if (article.raw) {
      document.getElementById("problems").replaceChildren(notice("error", t("raw_file")), h("pre", {}, article.raw));
    }
    loadArticle(article);
    if (article.problems && article.problems.length) showProblems(article.problems, false);
    restoreUnsaved();
    refreshOnRebuild = checkDisk;
  }

  // restoreUnsaved brings back what the browser kept of an unsaved form,
  // after a crash or a closed tab, and says so.
  function restoreUnsaved() {
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(storeKey())); } catch (e) { saved = null; }
    if (!saved) return;
    if (sameState({ fields: saved.fields, body: saved.body }, current.loaded)) {
      localStorage.removeItem(storeKey()); // what was kept is what the file says
      return;
    }
    const serverCopy = current.loaded;
    // Saving will be checked against the version the draft was based on:
    // if the file changed since, the editor sees both.
    if (saved.etag) current.etag = saved.etag;
    fill(saved.fields, saved.body);
    changed();
    const box = document.getElementById("restored");
    box.replaceChildren(notice("warn",
      h("p", {}, t("restored", when(saved.savedAt))),
      h("button", { type: "button", id: "discard", onclick: () => {
        dropAutosave(); // else a pending one would keep the draft again
        localStorage.removeItem(storeKey());
        showEditor(current.id);
        box.replaceChildren();
      } }, t("discard"))));
    void serverCopy;
  }

  // checkDisk notices a file changed on disk while it is open.
  async function checkDisk() {
    if (!current || !current.id || saving) return;
    const mine = current;
    const r = await api("GET", "articles/" + escapeID(current.id));
    if (current !== mine) return; // another article is open now
    if (r.status !== 200 || r.data.etag === current.etag) {
      if (r.status === 404) {
        document.getElementById("disk").replaceChildren(notice("error", t("gone")));
      }
      return;
    }
    const theirs = r.data;
    document.getElementById("disk").replaceChildren(notice("warn",
      h("p", {}, t("changed_on_disk")),
      h("button", { type: "button", id: "disk-load", onclick: () => { dropAutosave(); loadArticle(theirs); localStorage.removeItem(storeKey()); } }, t("load_disk")),
      " ",
      h("button", { type: "button", id: "disk-compare", onclick: () => showConflict(theirs) }, t("compare"))));
    preview();
  }

  async function remove() {
    if (!current.id || !confirm(t("confirm_delete"))) return;
    const r = await api("DELETE", "articles/" + escapeID(current.id), undefined, { "If-Match": current.etag });
    if (r.status === 200) {
      dropAutosave(); // a pending one would keep a draft of the deleted article
      localStorage.removeItem(storeKey());
      dirty = false;
      const item = r.data.trash;
      location.hash = "#/";
      setTimeout(() => {
        const main = document.getElementById("main");
        if (main) main.prepend(notice("ok", t("deleted"), " ", h("button", { type: "button", onclick: async () => {
          const res = await api("POST", "trash/restore", { id: item });
          if (res.status === 200) location.hash = "#/edit/" + escapeID(res.data.id);
        } }, t("undo"))));
      }, 50);
    } else if (r.status === 409) {
      showConflict(r.data.current);
    } else {
      say(document.getElementById("status"), "error", r.data.error || t("err_io"));
    }
  }

  // ---- routing and live updates ----------------------------------------------

  let refreshOnRebuild = null;

  async function route() {
    if (boot.login && !csrf) {
      const r = await api("GET", "session");
      if (r.status !== 200) return;
      csrf = r.data.csrf;
    }
    listen();
    const hash = location.hash.replace(/^#/, "") || "/";
    if (hash.startsWith("/edit/")) await showEditor(hash.slice(6).split("/").map(decodeURIComponent).join("/"));
    else if (hash === "/new") await showEditor("");
    else if (hash === "/trash") await showTrash();
    else await showList();
  }

  window.addEventListener("hashchange", () => {
    if (dirty && current && !confirm(t("confirm_leave"))) return;
    flushAutosave();
    dirty = false;
    route();
  });
  window.addEventListener("pagehide", flushAutosave);
  window.addEventListener("beforeunload", (ev) => {
    if (dirty) {
      ev.preventDefault();
      ev.returnValue = "";
    }
  });

  // The preview server says when it has rebuilt: the list, the open
  // article's version and the preview follow. The stream opens once the
  // editor is signed in: before, the server answers 401, and an event
  // source that gets an error status never tries again (Firefox also logs
  // it as a script error), so a tab where the editor signed in would
  // never hear of a rebuild.
  let listening = false;
  function listen() {
    if (listening || !window.EventSource) return;
    listening = true;
    const es = new EventSource(boot.events);
    const rebuilt = () => { if (refreshOnRebuild) refreshOnRebuild(); if (current && document.getElementById("preview")) preview(); };
    es.addEventListener("reload", rebuilt);
    es.addEventListener("problems", rebuilt);
  }
  // A slower check, for when the event stream is not available.
  setInterval(() => { if (refreshOnRebuild === checkDisk) checkDisk(); }, 15000);

  route();
})();
