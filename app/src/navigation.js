// What a move between pages needs beside Leptos's islands router (leptos 0.8,
// `islands_routing.js`), which fetches the next page, patches the document and hydrates the new
// islands, and no more (see `app/src/upstream.rs`):
// - the addresses the browser must open itself (the donation hand-off, feeds, the API,
//   documents, photos, the editor, a fragment of this page, another site) never reach it: the
//   router listens on `window`, and these listeners on `document` hear the event first (and
//   this script's `popstate` listener is on `window` before the router's);
// - every move replaces the page's head tags and body whole: their branch markers are marked
//   stale as the move starts, since an island may have changed the address without changing
//   the page's (the router would otherwise patch node by node, into the islands);
// - once a move is over, `moved` on `window` tells the islands of the page left behind
//   to let go of what they can (the router keeps them in memory otherwise);
// - the new page's heading takes the focus, so that a screen reader announces it;
// - the scroll goes to the top, to the address's fragment, or, on Back and Forward and after a
//   reload, back to where the visitor was on that page;
// - if the next page cannot be fetched, or does not arrive, the browser opens it itself;
// - the next page is shown at once: where the browser has view transitions the router moves
//   inside one, which first waits a frame to capture the old page (click to heading painted
//   47 ms at the median against 21 ms without, in Chromium); this document does without them.
// `left` holds the patterns of the addresses left to the browser (`paths::LEFT_TO_BROWSER`),
// `moved` the name of the event that ends a move (`components::MOVED_EVENT`).
((left, moved) => {
  document.startViewTransition = undefined;
  const patterns = left.map(
    (p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*")}$`),
  );
  const leftToBrowser = (url) =>
    url.origin !== location.origin || patterns.some((re) => re.test(url.pathname));
  const here = (url) => url.pathname === location.pathname && url.search === location.search;
  // Where the visitor was on each page of this tab's history, by address, kept for the tab's
  // session (a reload, or Back from another site, finds it); not recorded while a move is under
  // way, when the address and the page shown can differ.
  const KEY = "aipr-scroll";
  let scrolls;
  try {
    scrolls = new Map(JSON.parse(sessionStorage.getItem(KEY) || "[]"));
  } catch {
    scrolls = new Map();
  }
  addEventListener("pagehide", () => {
    try {
      sessionStorage.setItem(KEY, JSON.stringify([...scrolls].slice(-50)));
    } catch {}
  });
  history.scrollRestoration = "manual";
  const loaded = performance.getEntriesByType("navigation")[0];
  if (loaded && loaded.type !== "navigate" && scrolls.has(location.href)) {
    scrollTo(0, scrolls.get(location.href));
  }
  let pending = null;
  // A link to a part of this page: the browser moves there, and the `popstate` that follows is
  // not a move between pages.
  let fragment = false;
  addEventListener("scroll", () => pending || scrolls.set(location.href, scrollY), { passive: true });
  const leaving = (url, back) => {
    // On Back and Forward the address is already the next one.
    if (!back) {
      scrolls.set(location.href, scrollY);
    }
    const move = { url, back };
    pending = move;
    for (const part of [document.head, document.body]) {
      for (const node of part.childNodes) {
        if (node.nodeType === Node.COMMENT_NODE && /^bo-(head|body)-/.test(node.data)) {
          node.data += "-left";
        }
      }
    }
    setTimeout(() => pending === move && location.assign(url), 10000);
  };
  document.addEventListener("click", (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.altKey || ev.ctrlKey || ev.shiftKey) {
      return;
    }
    const a = ev.target instanceof Element && ev.target.closest("a[href]");
    if (!a || a.target || a.hasAttribute("download")) {
      return;
    }
    const url = new URL(a.href, location.href);
    if (leftToBrowser(url)) {
      ev.stopPropagation();
    } else if (url.hash && here(url)) {
      ev.stopPropagation();
      fragment = true;
      setTimeout(() => (fragment = false), 0);
    } else {
      leaving(url.href, false);
    }
  });
  document.addEventListener("submit", (ev) => {
    const form = ev.target;
    if (ev.defaultPrevented || !(form instanceof HTMLFormElement)) {
      return;
    }
    const action = new URL(form.action, location.href);
    if (form.target || form.method === "dialog" || leftToBrowser(action)) {
      ev.stopPropagation();
      return;
    }
    if (form.method === "get") {
      action.search = new URLSearchParams(new FormData(form)).toString();
    }
    leaving(action.href, false);
  });
  addEventListener("popstate", (ev) => {
    if (fragment) {
      fragment = false;
      ev.stopImmediatePropagation();
    } else {
      leaving(location.href, true);
    }
  });
  // The router adds the request's failure to no promise: the browser then opens the page.
  addEventListener("unhandledrejection", () => {
    if (pending) {
      location.assign(pending.url);
    }
  });
  // The router patches the head first, replacing its tags (a branch): that is the arrival of the
  // next page. No island writes there. It runs before the router records the address, so it
  // reads the address of the move.
  new MutationObserver(() => pending && arrived()).observe(document.head, { childList: true });
  function arrived() {
    const move = pending;
    pending = null;
    // Once the router has replaced the body too: the islands it left behind let go of what
    // they can (`components::on_page`).
    setTimeout(() => dispatchEvent(new Event(moved)), 0);
    const url = new URL(move.url, location.href);
    let id = "";
    try {
      id = decodeURIComponent(url.hash.slice(1));
    } catch {}
    const target = (id && document.getElementById(id)) || document.querySelector("main h1");
    if (move.back && scrolls.has(url.href)) {
      scrollTo(0, scrolls.get(url.href));
    } else if (id && target) {
      target.scrollIntoView();
    } else {
      scrollTo(0, 0);
    }
    if (target) {
      if (!target.hasAttribute("tabindex")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus({ preventScroll: true });
    }
  }
})
