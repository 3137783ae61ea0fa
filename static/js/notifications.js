// Live notifications: the bell's count, toasts, the dropdown, read state across tabs, and
// the "streams" pages follow (see notifications/events.py). The stored notifications are the
// truth: after every (re)connect the client asks the feed what it missed since the last id it
// saw, and when the socket cannot connect it polls the same feed every 30-60 seconds.

const bell = document.querySelector("[data-notification-bell]");
const menu = document.querySelector("[data-notification-menu]");
const liveRegion = document.getElementById("live-region");

const MAX_LATEST = 10;
const MAX_TOASTS = 3;
const TOAST_MS = 8000;

const state = {
  lastId: null,
  unread: 0,
  latest: [], // newest first
  seen: new Set(),
  socket: null,
  attempts: 0,
  pollTimer: null,
  reconnectTimer: null,
  stopped: false,
};

function fill(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}

function announce(text) {
  if (!liveRegion) return;
  liveRegion.textContent = "";
  // A fresh text node after a tick makes screen readers announce repeated messages too.
  window.setTimeout(() => {
    liveRegion.textContent = text;
  }, 50);
}

function safeUrl(url) {
  return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\")
    ? url
    : menu.dataset.listUrl;
}

// --- the count ------------------------------------------------------------------------

function renderCount() {
  const badge = bell.querySelector("[data-notification-count]");
  if (!badge) return;
  badge.textContent = String(state.unread);
  const hidden = document.createElement("span");
  hidden.className = "visually-hidden";
  hidden.textContent = ` ${menu.dataset.strUnread}`;
  badge.append(hidden);
  badge.hidden = state.unread <= 0;
}

function setUnread(count) {
  state.unread = Math.max(0, Number(count) || 0);
  renderCount();
}

// --- the dropdown ---------------------------------------------------------------------

function renderItems() {
  const list = menu.querySelector("[data-notification-items]");
  const empty = menu.querySelector("[data-notification-empty]");
  // Redrawing removes the focused entry: a keyboard user would be thrown back to the page.
  const focused = list.contains(document.activeElement) ? document.activeElement : null;
  const focusedId = focused?.closest("[data-notification-id]")?.dataset.notificationId;
  const focusedPart = focused?.dataset.part;
  list.replaceChildren();
  empty.hidden = state.latest.length > 0;
  for (const item of state.latest) {
    const li = document.createElement("li");
    li.className = item.is_read ? "notification-item" : "notification-item is-unread";
    li.dataset.notificationId = String(item.id);
    const link = document.createElement("a");
    link.href = safeUrl(item.url);
    link.className = "notification-link";
    link.dataset.part = "link";
    link.textContent = item.title;
    link.addEventListener("click", () => {
      if (!item.is_read) markRead(item.id, { keepalive: true });
    });
    const meta = document.createElement("span");
    meta.className = "muted small notification-meta";
    const when = item.created_at ? new Date(item.created_at).toLocaleString() : "";
    meta.textContent = [item.actor_name, when].filter(Boolean).join(" · ");
    li.append(link, meta);
    if (!item.is_read) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link-button small";
      button.dataset.part = "mark-read";
      button.textContent = menu.dataset.strMarkRead;
      button.addEventListener("click", () => markRead(item.id));
      li.append(button);
    }
    list.append(li);
  }
  if (focused) {
    const entry = Array.from(list.children).find((li) => li.dataset.notificationId === focusedId);
    const target = entry?.querySelector(`[data-part="${focusedPart}"]`) || entry?.querySelector("a") || menuLinks()[0];
    target?.focus();
  }
}

function isOpen() {
  return !menu.hidden;
}

function openMenu() {
  menu.hidden = false;
  bell.setAttribute("aria-expanded", "true");
  renderItems();
  fetchFeed({ catchUp: false, background: false }).then((loaded) => {
    menu.querySelector("[data-notification-error]").hidden = loaded;
  });
}

function closeMenu({ focusBell = false } = {}) {
  menu.hidden = true;
  bell.setAttribute("aria-expanded", "false");
  if (focusBell) bell.focus();
}

function menuLinks() {
  return Array.from(menu.querySelectorAll("a, button"));
}

function setUpMenu() {
  bell.setAttribute("role", "button");
  bell.setAttribute("aria-controls", menu.id);
  bell.setAttribute("aria-expanded", "false");
  bell.addEventListener("click", (event) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    if (isOpen()) closeMenu();
    else openMenu();
  });
  bell.addEventListener("keydown", (event) => {
    if (event.key === " ") {
      event.preventDefault();
      bell.click();
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!isOpen()) openMenu();
      menuLinks()[0]?.focus();
    }
  });
  menu.addEventListener("keydown", (event) => {
    const links = menuLinks();
    const index = links.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      closeMenu({ focusBell: true });
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      links[(index + 1) % links.length]?.focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      links[(index - 1 + links.length) % links.length]?.focus();
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isOpen()) closeMenu({ focusBell: true });
  });
  document.addEventListener("click", (event) => {
    if (isOpen() && !menu.contains(event.target) && !bell.contains(event.target)) closeMenu();
  });
  menu.addEventListener("focusout", (event) => {
    if (event.relatedTarget && !menu.contains(event.relatedTarget) && event.relatedTarget !== bell) closeMenu();
  });
  menu.querySelector("[data-notification-mark-all]").addEventListener("click", markAllRead);
}

// --- toasts ---------------------------------------------------------------------------

let toastBox = null;

function toast(item) {
  if (!toastBox) {
    toastBox = document.createElement("div");
    toastBox.className = "notification-toasts";
    // Screen readers hear the aria-live announcement instead; the toast is visual only.
    toastBox.setAttribute("aria-hidden", "true");
    document.body.append(toastBox);
  }
  const card = document.createElement("a");
  card.className = "notification-toast";
  card.href = safeUrl(item.url);
  card.tabIndex = -1;
  card.textContent = item.title;
  card.addEventListener("click", () => markRead(item.id, { keepalive: true }));
  toastBox.append(card);
  while (toastBox.children.length > MAX_TOASTS) toastBox.firstElementChild.remove();
  window.setTimeout(() => card.remove(), TOAST_MS);
}

// --- receiving ------------------------------------------------------------------------

function remember(item) {
  if (state.seen.has(item.id)) return false;
  state.seen.add(item.id);
  state.lastId = Math.max(state.lastId ?? 0, item.id);
  state.latest = [item, ...state.latest.filter((other) => other.id !== item.id)]
    .sort((a, b) => b.id - a.id)
    .slice(0, MAX_LATEST);
  return true;
}

function receiveNew(items) {
  const fresh = items.filter(remember);
  if (!fresh.length) return;
  for (const item of fresh.slice(-MAX_TOASTS)) toast(item);
  if (fresh.length === 1) announce(fill(menu.dataset.strNewOne, { title: fresh[0].title }));
  else announce(fill(menu.dataset.strNewMany, { count: fresh.length }));
  if (isOpen()) renderItems();
}

function applyRead({ ids, unread_count: unreadCount }) {
  for (const item of state.latest) {
    if (ids === null || ids === undefined || ids.includes(item.id)) item.is_read = true;
  }
  if (unreadCount !== undefined) setUnread(unreadCount);
  if (isOpen()) renderItems();
  if (ids === null || ids === undefined) {
    for (const row of document.querySelectorAll("[data-notification-list] .tag")) row.remove();
  }
}

// Tabs share read state directly too, so it stays in step when the socket is down.
const tabs = "BroadcastChannel" in window ? new BroadcastChannel("sic-notifications") : null;
tabs?.addEventListener("message", (event) => {
  if (event.data?.type === "read") applyRead(event.data);
});

// --- talking to the server ------------------------------------------------------------

// Fetches nobody asked for (catch-up, polling) say so: they must not keep an idle session
// alive, or a moderator's unattended screen would never be signed out (community.security).
async function fetchFeed({ catchUp, background = true }) {
  const url = new URL(menu.dataset.feedUrl, window.location.origin);
  if (catchUp && state.lastId !== null) url.searchParams.set("after", String(state.lastId));
  const headers = { Accept: "application/json" };
  if (background) headers["X-Background-Request"] = "1";
  let data;
  try {
    const response = await fetch(url, { headers, credentials: "same-origin" });
    if (response.redirected || !response.ok) {
      // Signed out or no longer a member: stop quietly; the next page load shows why.
      if (response.redirected || response.status === 403) stop();
      return false;
    }
    data = await response.json();
  } catch {
    return false;
  }
  const firstSync = state.lastId === null;
  const items = data.notifications || [];
  if (firstSync || !catchUp) {
    for (const item of items) remember(item);
    if (firstSync && !items.length) state.lastId = 0;
    // The latest list reflects the server's read state.
    const byId = new Map(items.map((item) => [item.id, item]));
    state.latest = state.latest.map((item) => byId.get(item.id) || item);
    if (isOpen()) renderItems();
  } else {
    receiveNew(items);
    if (data.has_more) fetchFeed({ catchUp: true });
  }
  setUnread(data.unread_count);
  return true;
}

async function post(url, { keepalive = false } = {}) {
  try {
    const response = await fetch(url, {
      method: "POST",
      keepalive,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": menu.dataset.csrfToken },
    });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

async function markRead(id, options) {
  const data = await post(menu.dataset.readUrl.replace("/0/", `/${id}/`), options);
  if (!data) return;
  const update = { type: "read", ids: [id], unread_count: data.unread_count };
  applyRead(update);
  tabs?.postMessage(update);
}

async function markAllRead() {
  const data = await post(menu.dataset.markAllUrl);
  if (!data) return;
  const update = { type: "read", ids: null, unread_count: 0 };
  applyRead(update);
  tabs?.postMessage(update);
  announce(menu.dataset.strAllRead);
}

// --- streams ----------------------------------------------------------------------------

function streamElements() {
  return Array.from(document.querySelectorAll("[data-live-stream][data-live-key]"));
}

// Personal streams (key "me") arrive over the member's own connection unasked.
const PERSONAL_KEY = "me";

function subscribeStreams() {
  const done = new Set();
  for (const element of streamElements()) {
    const { liveStream: stream, liveKey: rawKey } = element.dataset;
    const id = `${stream}:${rawKey}`;
    if (rawKey === PERSONAL_KEY || done.has(id)) continue;
    done.add(id);
    const key = /^\d+$/.test(rawKey) ? Number(rawKey) : rawKey;
    send({ type: "subscribe", stream, key });
  }
}

function receiveStream({ stream, key, payload }) {
  for (const element of streamElements()) {
    if (element.dataset.liveStream !== stream || element.dataset.liveKey !== String(key)) continue;
    const counter = element.querySelector("[data-live-count]");
    if (counter && typeof payload.count === "number") counter.textContent = String(payload.count);
    if (counter && typeof payload.increment === "number") {
      counter.textContent = String((Number(counter.textContent) || 0) + payload.increment);
    }
    // A count that reaches zero (the last queue item decided) hides the element again.
    element.hidden = counter ? !(Number(counter.textContent) > 0) : false;
    element.dispatchEvent(new CustomEvent("notifications:stream", { bubbles: true, detail: { stream, key, payload } }));
  }
  if (typeof payload.announce === "string") announce(payload.announce);
}

// --- the socket, with polling as the fallback -------------------------------------------

function send(message) {
  if (state.socket?.readyState === WebSocket.OPEN) state.socket.send(JSON.stringify(message));
}

function startPolling() {
  if (state.pollTimer || state.stopped) return;
  const tick = () => {
    state.pollTimer = window.setTimeout(async () => {
      await fetchFeed({ catchUp: true });
      if (state.pollTimer) tick();
    }, 30000 + Math.random() * 30000);
  };
  tick();
}

function stopPolling() {
  window.clearTimeout(state.pollTimer);
  state.pollTimer = null;
}

function stop() {
  state.stopped = true;
  stopPolling();
  window.clearTimeout(state.reconnectTimer);
  state.socket?.close();
}

function scheduleReconnect() {
  if (state.stopped) return;
  state.attempts += 1;
  // After two failures the count keeps moving by polling until the socket is back.
  if (state.attempts >= 2) startPolling();
  const delay = Math.min(60000, 1000 * 2 ** (state.attempts - 1)) * (0.5 + Math.random() / 2);
  state.reconnectTimer = window.setTimeout(connect, delay);
}

function connect() {
  if (state.stopped) return;
  if (!("WebSocket" in window)) {
    startPolling();
    return;
  }
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  let socket;
  try {
    socket = new WebSocket(`${scheme}//${window.location.host}${menu.dataset.socketPath}`);
  } catch {
    scheduleReconnect();
    return;
  }
  state.socket = socket;
  socket.addEventListener("open", () => {
    state.attempts = 0;
    stopPolling();
    fetchFeed({ catchUp: true });
    subscribeStreams();
  });
  socket.addEventListener("message", (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (message.type === "notification") {
      const isNew = !state.seen.has(message.notification.id);
      receiveNew([message.notification]);
      if (isNew && !message.notification.is_read) setUnread(state.unread + 1);
    } else if (message.type === "read") {
      applyRead(message);
    } else if (message.type === "stream") {
      receiveStream(message);
    }
  });
  socket.addEventListener("close", () => {
    if (state.socket === socket) state.socket = null;
    scheduleReconnect();
  });
}

function start() {
  state.unread = Number(bell.querySelector("[data-notification-count]")?.firstChild?.nodeValue) || 0;
  setUpMenu();
  fetchFeed({ catchUp: false });
  connect();
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && !state.stopped) fetchFeed({ catchUp: true });
  });
}

if (bell && menu) start();
