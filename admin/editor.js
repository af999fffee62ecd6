// The site's additions to Decap CMS at /admin: previews with the site's own stylesheet and the
// markup of its story page and document cards, the images of an unsaved entry shown from the
// browser, files without empty optional fields, and a banner when the site rejects the content
// as saved. Loaded after the CMS bundle; the words come from the page's data block (the site's
// locale files), never from this file.
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var words = JSON.parse(document.getElementById("aipr-editor").textContent);

  CMS.registerPreviewStyle(document.body.getAttribute("data-preview-style"));

  // The CMS's strings that its bundle lacks in the editor's language, over its own.
  function merged(base, more) {
    var out = {};
    Object.keys(base || {}).forEach(function (key) {
      out[key] = base[key];
    });
    Object.keys(more).forEach(function (key) {
      var both = more[key] && typeof more[key] === "object" && out[key] && typeof out[key] === "object";
      out[key] = both ? merged(out[key], more[key]) : more[key];
    });
    return out;
  }
  var strings = JSON.parse(document.getElementById("aipr-cms-strings").textContent);
  if (Object.keys(strings).length > 0) {
    CMS.registerLocale(words.locale, merged(CMS.getLocale(words.locale), strings));
  }

  // "{name}" placeholders, as the site's `fill`.
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
    });
  }

  // A date field's value ("2023-01-18", or a Date read from a TOML date) as ISO and as the
  // site writes it in the editor's language.
  function dates(value) {
    var iso = "";
    if (value instanceof Date && !isNaN(value)) {
      iso = value.toISOString().slice(0, 10);
    } else if (typeof value === "string") {
      iso = value.slice(0, 10);
    }
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!parts) {
      return { iso: iso, text: iso };
    }
    var month = words.months[Number(parts[2]) - 1] || parts[2];
    return { iso: iso, text: fill(words.date_format, { day: String(Number(parts[3])), month: month, year: parts[1] }) };
  }

  function list(value) {
    return value && value.toJS ? value.toJS() : Array.isArray(value) ? value : [];
  }

  // The story page (`pages/story.rs`) and its card in the feed (`components/cards.rs`).
  function StoryPreview(props) {
    var data = props.entry.get("data");
    var date = dates(data.get("date"));
    var kind = words.story_kinds[data.get("kind")] || "";
    var programs = list(data.get("programs")).map(function (id) {
      return words.programs[id] || id;
    });
    var image = data.getIn(["image", "src"]);
    var meta = h("p", { className: "card-meta" },
      h("span", { className: "kind" }, kind), " · ", h("time", { dateTime: date.iso }, date.text));
    return h("main", { id: "main" },
      h("div", { className: "wrap" },
        h("article", { className: "story-card" },
          meta,
          h("h2", { className: "card-title" }, h("a", { className: "card-link", href: "#" }, data.get("title"))),
          h("p", { className: "card-summary" }, data.get("summary")))),
      h("article", { className: "wrap story" },
        h("header", { className: "story-header" },
          meta,
          h("h1", null, data.get("title")),
          data.get("author") ? h("p", { className: "story-author" }, words.story_by + " ", h("span", null, data.get("author"))) : null,
          programs.length ? h("p", { className: "story-programs" }, h("span", null, words.story_programs + ": "), programs.join(", ")) : null),
        image ? h("img", { className: "story-image", src: String(withDrafts(props.getAsset, props.entry)(image)), alt: data.getIn(["image", "alt"]) || "" }) : null,
        h("div", { className: "prose" }, props.widgetFor("body"))));
  }

  // A document on its shelf (`components/library.rs`, `DocumentCardView`).
  function DocumentPreview(props) {
    var data = props.entry.get("data");
    var languages = list(data.get("languages"));
    var titles = { es: data.getIn(["title", "es"]), en: data.getIn(["title", "en"]) };
    var lang = titles[words.locale] ? words.locale : titles.es ? "es" : "en";
    var title = titles[lang] || "";
    var summaries = { es: data.getIn(["summary", "es"]), en: data.getIn(["summary", "en"]) };
    var summaryLang = summaries[words.locale] ? words.locale : summaries.es ? "es" : "en";
    var year = data.get("year") || dates(data.get("date")).iso.slice(0, 4);
    var file = data.get("file");
    var details = [
      year ? String(year) : null,
      languages.map(function (l) { return words.languages[l] || l; }).join(", ") || null,
      words.document_kinds[data.get("kind")] || null,
      data.get("pages") ? fill(words.pages, { count: String(data.get("pages")) }) : null,
    ].filter(Boolean).join(" · ");
    return h("main", { id: "main", className: "wrap" },
      h("section", { className: "shelf" },
        h("h2", null, words.shelves[data.get("shelf")] || data.get("shelf")),
        h("ul", { className: "documents" },
          h("li", { className: "document-card" },
            h("h3", { className: "doc-title", lang: lang }, title),
            h("p", { className: "doc-meta" }, details),
            summaries[summaryLang] ? h("p", { className: "doc-summary", lang: summaryLang }, summaries[summaryLang]) : null,
            h("a", { className: "doc-link", href: file || data.get("url") || "#" },
              fill(file ? words.download : words.open, { title: title }))))));
  }

  // The date field: typed in the editor's language's order (dd/mm/aaaa in Spanish), written
  // as `YYYY-MM-DD`, the form the site reads. (The CMS's own date field is the browser's date
  // input, whose order follows the browser's language, not the editor's.)
  var order = words.date_pattern.split(/[^a-zA-Z]+/).map(function (part) {
    return part.charAt(0).toLowerCase() === "d" ? "day" : part.charAt(0).toLowerCase() === "m" ? "month" : "year";
  });
  var separator = (/[^a-zA-Z]/.exec(words.date_pattern) || ["-"])[0];
  function isoDate(value) {
    if (value instanceof Date && !isNaN(value)) {
      return value.toISOString().slice(0, 10);
    }
    return typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
  }
  function shownDate(value) {
    var iso = isoDate(value);
    if (!iso) {
      return typeof value === "string" ? value : "";
    }
    var parts = { year: iso.slice(0, 4), month: iso.slice(5, 7), day: iso.slice(8, 10) };
    return order.map(function (part) { return parts[part]; }).join(separator);
  }
  // The ISO date of what was typed, or null when it is not a calendar date.
  function typedDate(text) {
    var numbers = text.trim().split(/[^0-9]+/);
    if (numbers.length !== 3) {
      return null;
    }
    var parts = {};
    order.forEach(function (part, i) { parts[part] = numbers[i]; });
    var year = Number(parts.year), month = Number(parts.month), day = Number(parts.day);
    var date = new Date(Date.UTC(year, month - 1, day));
    if (parts.year.length !== 4 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      return null;
    }
    return date.toISOString().slice(0, 10);
  }
  var DateControl = window.createClass({
    getInitialState: function () {
      return { text: shownDate(this.props.value) };
    },
    isValid: function () {
      var value = this.props.value;
      return !value || isoDate(value) ? true : { error: { message: fill(words.date_invalid, { pattern: words.date_pattern }) } };
    },
    handleChange: function (event) {
      var text = event.target.value;
      this.setState({ text: text });
      this.props.onChange(text.trim() === "" ? "" : typedDate(text) || text);
    },
    render: function () {
      return h("input", {
        type: "text",
        id: this.props.forID,
        className: this.props.classNameWrapper,
        value: this.state.text,
        placeholder: words.date_pattern,
        inputMode: "numeric",
        autoComplete: "off",
        onChange: this.handleChange,
        onFocus: this.props.setActiveStyle,
        onBlur: this.props.setInactiveStyle,
      });
    },
  });
  CMS.registerWidget("aipr-date", DateControl, function (props) {
    return h("span", null, shownDate(props.value));
  });

  // An image uploaded from within an entry's form stays with the unsaved entry, as a `blob:`
  // address, until the entry is saved. Decap reads an address that starts with "/" as a public
  // URL (its `isAbsolutePath`), so its `getAsset` answers that future address, which has
  // nothing yet, and the form's thumbnail and the preview show a broken image. Here an
  // address that names one of the entry's uploads answers that upload's `blob:` address.
  function draftAsset(entry, path) {
    var files = entry && entry.get ? entry.get("mediaFiles") : null;
    if (!files || typeof path !== "string" || path.charAt(0) !== "/") {
      return null;
    }
    var found = files.find(function (file) {
      var stored = file.get("path") || "";
      return file.get("draft") && file.get("url") && stored.slice(-path.length) === path && stored.length > path.length;
    });
    return found ? found.get("url") : null;
  }
  function withDrafts(getAsset, entry) {
    return function (path, field) {
      return draftAsset(entry, path) || getAsset(path, field);
    };
  }
  // The image and Markdown widgets, as they are, asking for their images through `withDrafts`.
  ["image", "markdown"].forEach(function (name) {
    var widget = CMS.getWidget(name);
    if (!widget) {
      return;
    }
    // What Decap's `Widget` asks of a control through its ref goes to the widget's own control
    // (its `shouldComponentUpdate` too: the `Widget` renders again only when it says so).
    var methods = {
      keep: function (control) {
        this.inner = control && control.getWrappedInstance ? control.getWrappedInstance() : control;
      },
      // The props the widget's control gets: the same `getAsset` until the entry or the CMS's
      // own `getAsset` changes, as the control compares it.
      innerProps: function (props) {
        if (!this.asked || this.asked.getAsset !== props.getAsset || this.asked.entry !== props.entry) {
          this.asked = { getAsset: props.getAsset, entry: props.entry, wrapped: withDrafts(props.getAsset, props.entry) };
        }
        return Object.assign({}, props, { getAsset: this.asked.wrapped });
      },
      shouldComponentUpdate: function (next) {
        var inner = this.inner;
        return inner && typeof inner.shouldComponentUpdate === "function" ? inner.shouldComponentUpdate(this.innerProps(next)) : true;
      },
      render: function () {
        return h(widget.control, Object.assign(this.innerProps(this.props), { ref: this.keep }));
      },
    };
    ["isValid", "shouldValidate", "getValidateValue", "focus"].forEach(function (method) {
      methods[method] = function () {
        var inner = this.inner;
        if (inner && typeof inner[method] === "function") {
          return inner[method].apply(inner, arguments);
        }
        return method === "isValid" || method === "shouldValidate" ? true : undefined;
      };
    });
    var Control = window.createClass(methods);
    var Preview = function (props) {
      return h(widget.preview, Object.assign({}, props, { getAsset: withDrafts(props.getAsset, props.entry) }));
    };
    CMS.registerWidget(name, Control, Preview, widget.schema);
  });

  CMS.registerPreviewTemplate("stories", StoryPreview);
  CMS.registerPreviewTemplate("documents", DocumentPreview);

  // Optional fields left empty are left out of the file, as a person writing it would: the
  // site reads "" as a value (an empty link, an image without a file), not as "none".
  function isEmpty(value) {
    if (value === undefined || value === null || value === "") {
      return true;
    }
    return Boolean(value["@@__IMMUTABLE_MAP__@@"]) && value.size === 0;
  }
  function withoutEmpty(map) {
    return map
      .map(function (value) {
        return value && value["@@__IMMUTABLE_MAP__@@"] ? withoutEmpty(value) : value;
      })
      .filter(function (value) {
        return !isEmpty(value);
      });
  }
  // A new entry whose address is taken is refused with a message; the CMS would save it as
  // `address-1` without a word. The address is made as the CMS makes it: from the Spanish title,
  // accents dropped, lowercase, anything but letters and digits a hyphen.
  function slugOf(text) {
    return String(text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
  }
  function refuseTaken(entry) {
    var collection = entry.get("collection");
    if (!entry.get("newRecord") || (collection !== "stories" && collection !== "documents")) {
      return Promise.resolve();
    }
    var data = entry.get("data");
    var title = collection === "stories" ? data.get("title") : data.getIn(["title", "es"]);
    var slug = slugOf(title);
    return fetch("/admin/entries.json", { cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.json() : {};
      })
      .then(function (taken) {
        if ((taken[collection] || []).indexOf(slug) !== -1) {
          throw new Error(fill(words.duplicate, { title: title, id: slug }));
        }
      });
  }

  // Stories in one language. A story is in the languages it has a title and a summary in, and
  // only those languages' files are written (`stories/ID.es.md`, `ID.en.md`). Decap reads the
  // file of its default language as the entry and writes a file for every language, so:
  // - a language whose file is missing is read as a file holding only the shared fields of the
  //   other language's file (date, kind, programs, lead image), so that the form shows them
  //   once, where Decap edits them, and the missing language's texts empty. (Decap reads a
  //   missing file as an empty one: an English-only story's date, kind and programs, edited on
  //   the Spanish side, showed empty there.)
  // - `storySave` (before a save) checks each language is written whole or not at all, and
  //   names the languages left out; the backend then writes only the others' files.
  var STORY_FILE = /(^|\/)stories\/([^/]+)\.([a-z]{2})\.md$/;
  var SHARED = ["date", "kind", "programs"];
  // The paths read as such stand-ins, and the languages the next save leaves out.
  var standIns = {};
  var leaveOut = null;
  function otherLanguageFile(path) {
    var file = STORY_FILE.exec(path);
    if (!file) {
      return null;
    }
    var other = words.locales.filter(function (code) {
      return code !== file[3];
    })[0];
    return other ? path.slice(0, path.length - (file[3] + ".md").length) + other + ".md" : null;
  }
  // The shared fields of a story file's front matter, as a story file of their own. Files are
  // in the editor's own form (`server check` flags one that is not): one line per value, the
  // lead image a table of its own.
  function sharedOnly(raw) {
    var front = /^\+\+\+\r?\n([\s\S]*?)\r?\n\+\+\+/.exec(String(raw || ""));
    if (!front) {
      return null;
    }
    var table = "";
    var top = [];
    var image = null;
    front[1].split(/\r?\n/).forEach(function (line) {
      var header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
      if (header) {
        table = header[1].trim();
        return;
      }
      var key = (/^\s*([A-Za-z0-9_-]+)\s*=/.exec(line) || [])[1];
      if (table === "" && SHARED.indexOf(key) !== -1) {
        top.push(line);
      } else if (table === "image" && key === "src") {
        image = line;
      }
    });
    return "+++\n" + top.join("\n") + (image ? "\n\n[image]\n" + image : "") + "\n+++\n";
  }
  // The stand-in for the missing file at `path`, from the other language's file as `read`
  // gives its text; rejected when there is none.
  function standIn(read, path) {
    var other = otherLanguageFile(path);
    if (!other) {
      return Promise.reject(new Error(path));
    }
    return read(other).then(function (raw) {
      var shared = typeof raw === "string" ? sharedOnly(raw) : null;
      if (shared === null) {
        throw new Error(path);
      }
      standIns[path] = true;
      return shared;
    });
  }
  // `read(path)` with the stand-in's text for a missing story file: one the backend refuses,
  // or answers without text (the local backend: null; GitHub's: ""). Anything else is as read.
  function orStandIn(read, path, textIn, asFile) {
    delete standIns[path];
    var instead = function (otherwise) {
      return standIn(function (other) {
        return Promise.resolve(read(other)).then(textIn);
      }, path).then(asFile, otherwise);
    };
    return Promise.resolve(read(path)).then(function (result) {
      var text = textIn(result);
      return typeof text === "string" && text.trim() !== "" ? result : instead(function () {
        return result;
      });
    }, function (error) {
      return instead(function () {
        throw error;
      });
    });
  }
  function withStandIns(backend) {
    var getEntry = backend.getEntry;
    if (typeof getEntry === "function") {
      backend.getEntry = function (path) {
        var self = this;
        return orStandIn(function (file) {
          return getEntry.call(self, file);
        }, path, function (file) {
          return file ? file.data : null;
        }, function (raw) {
          return { file: { path: path, id: null }, data: raw };
        });
      };
    }
    // Entries in review (the editorial workflow): their files are read by the ids of a diff,
    // which names only the files the entry has; the other language's is the id it was read by.
    var dataFile = backend.unpublishedEntryDataFile;
    if (typeof dataFile === "function") {
      var ids = {};
      backend.unpublishedEntryDataFile = function (collection, slug, path, id) {
        var self = this;
        ids[path] = id;
        return orStandIn(function (file) {
          return dataFile.call(self, collection, slug, file, file === path ? id : ids[file] || "");
        }, path, function (raw) {
          return raw;
        }, function (raw) {
          return raw;
        });
      };
    }
    var persistEntry = backend.persistEntry;
    if (typeof persistEntry === "function") {
      backend.persistEntry = function (entry, options) {
        var left = leaveOut;
        leaveOut = null;
        if (left && entry && Array.isArray(entry.dataFiles)) {
          entry = Object.assign({}, entry, {
            dataFiles: entry.dataFiles.filter(function (file) {
              var story = STORY_FILE.exec(file.path);
              return !(story && left.indexOf(story[3]) !== -1);
            }),
          });
        }
        return persistEntry.call(this, entry, options);
      };
    }
    return backend;
  }
  // Decap's own backends, as the CMS makes them (its registry refuses a second registration
  // under a name, so each one's maker is wrapped).
  ["proxy", "github", "gitlab", "gitea", "test-repo"].forEach(function (name) {
    var registered = CMS.getBackend(name);
    if (registered && typeof registered.init === "function") {
      var init = registered.init;
      registered.init = function () {
        return withStandIns(init.apply(this, arguments));
      };
    }
  });

  function textOf(data, key) {
    var value = data && data.get ? data.get(key) : null;
    return typeof value === "string" ? value.trim() : "";
  }
  function dataPath(code) {
    return code === words.default_locale ? ["data"] : ["i18n", code, "data"];
  }
  // The story as it is to be saved: each language written whole (title and summary) or not at
  // all, at least one written, none emptied that has a file; the languages not written are
  // left out of the save. A new story whose default language is not written takes its address
  // from its title in the other.
  function storySave(entry) {
    var written = [];
    var left = [];
    words.locales.forEach(function (code) {
      var data = entry.getIn(dataPath(code));
      var title = textOf(data, "title");
      var summary = textOf(data, "summary");
      var language = words.languages[code] || code;
      if (!title && !summary && !textOf(data, "body")) {
        var path = String(entry.get("path") || "").replace(/\.md$/, "." + code + ".md");
        if (!entry.get("newRecord") && !standIns[path]) {
          throw new Error(fill(words.story_removed, { language: language }));
        }
        left.push(code);
        return;
      }
      if (!title || !summary) {
        throw new Error(fill(words.story_incomplete, { field: title ? words.field_summary : words.field_title, language: language }));
      }
      written.push(code);
    });
    if (written.length === 0) {
      throw new Error(words.story_no_language);
    }
    if (entry.get("newRecord") && left.indexOf(words.default_locale) !== -1) {
      entry = entry.setIn(["data", "title"], textOf(entry.getIn(dataPath(written[0])), "title"));
    }
    leaveOut = left;
    return entry;
  }

  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      leaveOut = null;
      var entry = event.entry;
      try {
        entry = entry.get("collection") === "stories" ? storySave(entry) : entry;
      } catch (error) {
        return Promise.reject(error);
      }
      // What a handler answers is the entry's data (of the default language) as it is saved.
      return refuseTaken(entry).then(function () {
        return withoutEmpty(entry.get("data"));
      });
    },
  });

  // The address always names the entry the form shows (Decap's bug #4147: when the address
  // moves from one entry to another, by typing it, by Back or Forward, Decap keeps the previous
  // entry's form, and a save writes it into whichever file that form came from). Such a move
  // loads the page again, after asking when the form has unsaved changes; Decap's own move
  // after saving a new entry (`/new` → its address) is the one kept as it is.
  var leaveWarnings = [];
  var addEventListener = window.addEventListener;
  window.addEventListener = function (type, listener, options) {
    // Decap's editor says whether its form has unsaved changes only to `beforeunload`.
    if (type === "beforeunload" && typeof listener === "function") {
      leaveWarnings.push(listener);
    }
    return addEventListener.call(this, type, listener, options);
  };
  var removeEventListener = window.removeEventListener;
  window.removeEventListener = function (type, listener, options) {
    leaveWarnings = leaveWarnings.filter(function (known) {
      return known !== listener;
    });
    return removeEventListener.call(this, type, listener, options);
  };
  function hasUnsavedChanges() {
    return leaveWarnings.some(function (warn) {
      var probe = {};
      return Boolean(warn(probe)) || Boolean(probe.returnValue);
    });
  }
  // "stories/entries/una-historia", "stories/new", or null for any other view.
  function entryOf(url) {
    var hash = String(url).split("#")[1] || "";
    var route = /^\/collections\/([^/?]+)\/(entries\/[^?]+|new)/.exec(hash);
    return route ? route[1] + "/" + decodeURIComponent(route[2]) : null;
  }
  var shown = entryOf(location.href);
  var justSaved = false;
  var reloading = false;
  CMS.registerEventListener({
    name: "postSave",
    handler: function () {
      justSaved = true;
    },
  });
  addEventListener.call(window, "beforeunload", function (event) {
    // Asked already, before reloading for a new address.
    if (reloading) {
      event.stopImmediatePropagation();
    }
  }, true);
  // A move of the address arrives as `popstate`, then `hashchange` (a typed address, Back,
  // Forward, the CMS's own links): both are seen first here, before the CMS's router.
  var lastHref = location.href;
  function onMove(event) {
    var href = location.href;
    if (reloading || href === lastHref) {
      // Already seen as `popstate`, or taken back: the router is told only of a kept move.
      if (reloading || (event.type === "hashchange" && event.newURL !== href)) {
        event.stopImmediatePropagation();
      }
      return;
    }
    var previous = lastHref;
    lastHref = href;
    var next = entryOf(href);
    var savedNew = shown && next && justSaved && /\/new$/.test(shown) && next.split("/")[0] === shown.split("/")[0];
    justSaved = false;
    if (!shown || !next || next === shown || savedNew) {
      shown = next;
      return;
    }
    // The router would show the previous entry's form under this address.
    event.stopImmediatePropagation();
    if (hasUnsavedChanges() && !window.confirm(words.unsaved_leave)) {
      history.replaceState(history.state, "", previous);
      lastHref = previous;
      return;
    }
    // After the move has settled: a reload started inside it is sometimes dropped.
    reloading = true;
    setTimeout(function () {
      location.reload();
    }, 0);
  }
  addEventListener.call(window, "popstate", onMove, true);
  addEventListener.call(window, "hashchange", onMove, true);

  // While the site cannot load the content as saved, a banner says so and leads to the list
  // of errors; it goes away once the content loads again.
  var banner = document.createElement("p");
  banner.setAttribute("role", "alert");
  banner.hidden = true;
  banner.style.cssText =
    "position:fixed;bottom:1rem;left:50%;transform:translateX(-50%);z-index:1000;margin:0;" +
    "padding:.75rem 1.25rem;background:#8a1c1c;color:#fff;border-radius:6px;font:600 1rem/1.4 system-ui,sans-serif;";
  var link = document.createElement("a");
  link.href = "/admin/errors";
  link.target = "_blank";
  link.style.color = "#fff";
  banner.appendChild(link);
  document.body.appendChild(banner);
  function checkErrors() {
    fetch("/admin/errors.json", { cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.json() : { errors: [] };
      })
      .then(function (body) {
        var count = body.errors.length;
        banner.hidden = count === 0;
        link.textContent = words.errors_title + " (" + count + "): " + (body.errors[0] || "");
      })
      .catch(function () {});
  }
  checkErrors();
  setInterval(checkErrors, 3000);
})();
