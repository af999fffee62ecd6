// What a move between pages needs beside Leptos's islands router (leptos 0.8,
// `islands_routing.js`), which fetches the next page, patches the document and hydrates the new
// islands, and no more (see `app/src/upstream.rs`):
// - the addresses the browser must open itself (the donation hand-off, feeds, the API,
//   documents, photos, the editor, a fragment of this page, another site) never reach it: the
//   router listens on `window`, and these listeners on `document` hear the event first;
// - the new page's heading takes the focus, so that a screen reader announces it;
// - the scroll goes to the top, to the address's fragment, or, on Back and Forward, back to
//   where the visitor was on that page;
// - if the next page cannot be fetched, the browser opens it itself;
// - the next page is shown at once: where the browser has view transitions the router moves
//   inside one, which first waits a frame to capture the old page (click to heading painted
//   47 ms at the median against 39 ms for a page load, in Chromium); this document does
//   without them.
// `left` holds the patterns of the addresses left to the browser (`paths::LEFT_TO_BROWSER`).
((left) => {
  document.startViewTransition = undefined;
  const patterns = left.map(
    (p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*")}$`),
  );
  const leftToBrowser = (url) =>
    url.origin !== location.origin || patterns.some((re) => re.test(url.pathname));
  const here = (url) => url.pathname === location.pathname && url.search === location.search;
  // Where the visitor was on each page of this tab's history, by address; not while a move is
  // under way, when the address and the page shown can differ.
  const scrolls = new Map();
  let pending = null;
  history.scrollRestoration = "manual";
  addEventListener("scroll", () => pending || scrolls.set(location.href, scrollY), { passive: true });
  const leaving = (url, back) => {
    // On Back and Forward the address is already the next one.
    if (!back) {
      scrolls.set(location.href, scrollY);
    }
    pending = { url, back };
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
    if (leftToBrowser(url) || (url.hash && here(url))) {
      ev.stopPropagation();
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
    } else {
      leaving(action.href, false);
    }
  });
  addEventListener("popstate", () => leaving(location.href, true));
  // The router adds the request's failure to no promise: the browser then opens the page.
  addEventListener("unhandledrejection", () => {
    if (pending) {
      location.assign(pending.url);
    }
  });
  // The router patches the head first: it replaces the head's tags (a branch keyed by the
  // page's address) or, on the same address, writes the title's text again. Either is the
  // arrival of the next page; no island writes there. The router records the address after
  // the patch, so the arrival is handled a task later.
  new MutationObserver(() => pending && setTimeout(arrived, 0)).observe(document.head, {
    childList: true,
    characterData: true,
    subtree: true,
  });
  function arrived() {
    const move = pending;
    if (!move) {
      return;
    }
    pending = null;
    const id = decodeURIComponent(location.hash.slice(1));
    const target = (id && document.getElementById(id)) || document.querySelector("main h1");
    if (move.back && scrolls.has(location.href)) {
      scrollTo(0, scrolls.get(location.href));
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
