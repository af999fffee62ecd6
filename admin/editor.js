// The site's additions to Decap CMS at /admin: previews with the site's own stylesheet and the
// markup of its story page and document cards, files without empty optional fields, and a
// banner when the site rejects the content as saved. Loaded after the CMS bundle; the words
// come from the page's data block (the site's locale files), never from this file.
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var words = JSON.parse(document.getElementById("aipr-editor").textContent);

  CMS.registerPreviewStyle(document.body.getAttribute("data-preview-style"));

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
        image ? h("img", { className: "story-image", src: props.getAsset(image).toString(), alt: data.getIn(["image", "alt"]) || "" }) : null,
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
  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      return withoutEmpty(event.entry.get("data"));
    },
  });

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
