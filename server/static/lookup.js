// The lookup page: plain JavaScript over the GraphQL API at /graphql, no build step.
//
// Views are addressed by the URL hash, so each can be linked and bookmarked:
//   #                        start: the release and the BETOS categories
//   #search/wheelchair       every code matching a search
//   #code/G6002              one code, every field decoded
//   #betos/I4B, #tos/1, ...  a coded value and the codes carrying it
//   #family/I                a BETOS category and its BETOS codes
//   #note/12                 a processing note and its codes
// Each takes ?release=2025-10; without it the newest release is used. Every query
// passes `release:`.
(function () {
  "use strict";

  var ENDPOINT = "/graphql";
  var PAGE = 50; // codes per page in lists
  var SUGGESTIONS = 10;
  var DEBOUNCE_MS = 200;

  // ---------------------------------------------------------------- the API

  function ApiError(message) {
    this.name = "ApiError";
    this.message = message;
  }
  ApiError.prototype = Object.create(Error.prototype);

  // A query by GET: the server's ETag answers a repeat with 304, and `no-cache` makes the
  // browser ask every time, so a newly loaded release shows at once.
  function gql(query, variables, signal) {
    var params = new URLSearchParams({
      query: query.replace(/\s+/g, " ").trim(),
      variables: JSON.stringify(variables || {}),
    });
    return fetch(ENDPOINT + "?" + params.toString(), {
      headers: { Accept: "application/json" },
      cache: "no-cache",
      credentials: "same-origin",
      signal: signal,
    })
      .then(function (response) {
        return response.json().catch(function () {
          throw new ApiError("The server answered " + response.status + " without JSON.");
        });
      })
      .then(function (body) {
        if (body.errors && body.errors.length) {
          throw new ApiError(body.errors[0].message);
        }
        return body.data;
      });
  }

  var CODE_ROW = "nodes { code shortDescription status terminationDate }";
  var LIST = "totalCount pageInfo { hasNextPage endCursor } " + CODE_ROW;

  var Q_RELEASES = "query Releases { releases { name effectiveDate codeCount modifierCount isSample } }";

  var Q_HOME =
    "query Home($release: String) {" +
    " betosFamilies(release: $release) { code description betosCodes { code description } } }";

  var Q_SUGGEST =
    "query Suggest($search: String!, $release: String) {" +
    " hcpcsCodes(search: $search, release: $release, first: " + SUGGESTIONS + ") {" +
    " totalCount " + CODE_ROW + " } }";

  var Q_SEARCH =
    "query Search($search: String!, $release: String, $after: String) {" +
    " list: hcpcsCodes(search: $search, release: $release, first: " + PAGE + ", after: $after) {" +
    " " + LIST + " } }";

  var VALUE = "code description";
  var Q_CODE =
    "query Code($code: String!, $release: String) {" +
    " hcpcsCode(code: $code, release: $release) {" +
    "  code longDescription shortDescription" +
    "  pricingIndicators { " + VALUE + " feeSchedule }" +
    "  multiplePricingIndicator { " + VALUE + " }" +
    "  coverage { " + VALUE + " }" +
    "  betos { " + VALUE + " family { code description } }" +
    "  typesOfService { " + VALUE + " }" +
    "  action { " + VALUE + " }" +
    "  labCertifications { " + VALUE + " }" +
    "  processingNote { number text }" +
    "  crossReferences { code target { code shortDescription release { name } } }" +
    "  referencedBy { code shortDescription }" +
    "  ascPaymentGroup { " + VALUE + " } ascEffectiveDate" +
    "  mogPaymentGroup { " + VALUE + " } mogPaymentPolicyIndicator { " + VALUE + " } mogEffectiveDate" +
    "  cimReferences mcmReferences statute" +
    "  anesthesiaBaseUnits addedDate actionEffectiveDate terminationDate" +
    "  status statusDate" +
    "  release { name effectiveDate processingNoteCount }" +
    " } }";

  // The coded values that list their codes: route name -> root field and wording.
  var KINDS = {
    pricing: { field: "pricingIndicator", label: "Pricing indicator", noun: "pricing indicator", extra: "feeSchedule" },
    "multiple-pricing": { field: "multiplePricingIndicator", label: "Multiple pricing indicator", noun: "multiple pricing indicator" },
    coverage: { field: "coverageCode", label: "Coverage", noun: "coverage code" },
    betos: { field: "betosCode", label: "BETOS code", noun: "BETOS code", extra: "family { code description }" },
    tos: { field: "typeOfService", label: "Type of service", noun: "type of service" },
    action: { field: "actionCode", label: "Action", noun: "action code" },
    lab: { field: "labCertification", label: "Lab certification", noun: "lab certification" },
    asc: { field: "ascPaymentGroup", label: "ASC payment group", noun: "ASC payment group" },
    mog: { field: "mogPaymentGroup", label: "MOG payment group", noun: "MOG payment group" },
    "mog-policy": { field: "mogPaymentPolicyIndicator", label: "MOG payment policy indicator", noun: "MOG payment policy indicator" },
  };

  function valueQuery(kind) {
    var spec = KINDS[kind];
    return (
      "query Value($code: String!, $release: String, $after: String) {" +
      " value: " + spec.field + "(code: $code, release: $release) {" +
      " code description " + (spec.extra || "") +
      " list: codes(first: " + PAGE + ", after: $after) { " + LIST + " } } }"
    );
  }

  var Q_NOTE =
    "query Note($number: Int!, $release: String, $after: String) {" +
    " value: processingNote(number: $number, release: $release) {" +
    " number text list: codes(first: " + PAGE + ", after: $after) { " + LIST + " } } }";

  var Q_FAMILY =
    "query Family($release: String) {" +
    " betosFamilies(release: $release) { code description" +
    " betosCodes { code description codes(first: 1) { totalCount } } } }";

  // ------------------------------------------------------------ DOM helpers

  // h("a", {href: "#"}, "text", child, ...): an element; text is always text, never HTML.
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) return;
        if (name === "class") el.className = value;
        else if (name.slice(0, 2) === "on") el.addEventListener(name.slice(2), value);
        else el.setAttribute(name, value === true ? "" : value);
      });
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }

  function append(el, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(el, c); });
    else el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }

  var number = new Intl.NumberFormat("en-US");
  var dateFormat = new Intl.DateTimeFormat("en-US", {
    year: "numeric", month: "short", day: "numeric", timeZone: "UTC",
  });

  function formatDate(iso) {
    if (!iso) return null;
    var d = new Date(iso + "T00:00:00Z");
    return h("time", { datetime: iso }, isNaN(d) ? iso : dateFormat.format(d));
  }

  function plural(n, one, many) {
    return number.format(n) + " " + (n === 1 ? one : many);
  }

  function announce(text) {
    var el = document.getElementById("announcer");
    el.textContent = "";
    window.setTimeout(function () { el.textContent = text; }, 50);
  }

  // ---------------------------------------------------------------- routing

  var state = { releases: [], newest: null };

  function parseHash() {
    var raw = window.location.hash.replace(/^#/, "");
    var query = "";
    var at = raw.indexOf("?");
    if (at >= 0) {
      query = raw.slice(at + 1);
      raw = raw.slice(0, at);
    }
    var slash = raw.indexOf("/");
    var view = slash >= 0 ? raw.slice(0, slash) : raw;
    var arg = slash >= 0 ? raw.slice(slash + 1) : "";
    try {
      arg = decodeURIComponent(arg);
    } catch (e) {
      /* keep it as typed */
    }
    var params = new URLSearchParams(query);
    return { view: view || "home", arg: arg, release: params.get("release") || null };
  }

  var route = parseHash();

  // The release every query of the current view passes.
  function release() {
    return route.release || state.newest;
  }

  // A link to a view, keeping the release the user chose.
  function href(view, arg) {
    var path = "#" + view + (arg !== undefined && arg !== null ? "/" + encodeURIComponent(arg) : "");
    return route.release ? path + "?release=" + encodeURIComponent(route.release) : path;
  }

  function hrefIn(view, arg, releaseName) {
    return "#" + view + "/" + encodeURIComponent(arg) + "?release=" + encodeURIComponent(releaseName);
  }

  // ------------------------------------------------------------ rendering

  var viewEl = document.getElementById("view");
  var mainEl = document.getElementById("main");
  var current = null; // the AbortController of the view being shown
  var moveFocus = false; // after a navigation, focus goes to the new view's heading

  function show(nodes, title, focus) {
    viewEl.replaceChildren();
    append(viewEl, nodes);
    viewEl.setAttribute("aria-busy", "false");
    document.title = (title ? title + " · " : "") + "HCPCS lookup";
    if (focus && moveFocus) {
      var heading = viewEl.querySelector("h1");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
      }
    }
    if (title) announce(title);
  }

  function loading() {
    viewEl.setAttribute("aria-busy", "true");
    viewEl.replaceChildren(h("p", { class: "muted loading" }, "Loading…"));
  }

  function showError(error) {
    if (error && error.name === "AbortError") return;
    show(
      h("div", { class: "notice notice-error", role: "alert" },
        h("h1", null, "Something went wrong"),
        h("p", null, (error && error.message) || String(error)),
        h("p", null, h("a", { href: href("home") }, "Back to the start"))),
      "Error"
    );
  }

  function eyebrow(kind) {
    return h("p", { class: "eyebrow" }, kind, h("span", { class: "sep", "aria-hidden": "true" }, " · "),
      "Release ", h("span", { class: "eyebrow-release" }, release()));
  }

  // A coded value as a link to the codes carrying it.
  function valueLink(kind, value, extra) {
    if (!value) return h("span", { class: "none" }, "None");
    return h("a", { class: "value", href: href(kind, value.code) },
      h("code", { class: "value-code" }, value.code),
      h("span", { class: "value-text" }, value.description || "(not in CMS's table)"),
      extra || null);
  }

  // A link to a code, drawn like a coded value.
  function codeLink(code, text, target, note) {
    return h("a", { class: "value", href: target },
      h("code", { class: "value-code" }, code),
      h("span", { class: "value-text" }, text),
      note ? h("span", { class: "value-note" }, note) : null);
  }

  function values(kind, list) {
    if (!list || !list.length) return h("span", { class: "none" }, "None");
    return h("ul", { class: "values" }, list.map(function (v) { return h("li", null, valueLink(kind, v)); }));
  }

  // A code no longer billable in the release it is listed from says so, with its date:
  // CMS keeps terminated codes in its files for four years.
  function endedMark(node) {
    return node.status === "TERMINATED"
      ? h("span", { class: "row-status" }, "terminated " + node.terminationDate)
      : null;
  }

  function codeList(nodes) {
    return nodes.map(function (node) {
      return h("li", null,
        h("a", { href: href("code", node.code) },
          h("code", { class: "row-code" }, node.code),
          h("span", { class: "row-text" }, node.shortDescription),
          endedMark(node)));
    });
  }

  // A paged list of codes: a count, rows, and a button that fetches the next page.
  function pagedCodes(heading, first, fetchPage) {
    var list = h("ol", { class: "code-list", "aria-label": heading });
    var count = h("p", { class: "count" });
    var more = h("button", { type: "button", class: "button more" });
    var section = h("section", { class: "panel", "aria-labelledby": "codes-heading" },
      h("div", { class: "panel-head" }, h("h2", { id: "codes-heading" }, heading), count),
      list, more);

    function fill(page) {
      count.replaceChildren(h("strong", { class: "total-count" }, number.format(page.totalCount)),
        page.totalCount === 1 ? " code" : " codes");
      append(list, codeList(page.nodes));
      var shown = list.children.length;
      if (!page.totalCount) {
        list.replaceWith(h("p", { class: "muted" }, "No codes in this release."));
      }
      more.hidden = !page.pageInfo.hasNextPage;
      more.disabled = false;
      more.textContent = "Show more (" + number.format(shown) + " of " + number.format(page.totalCount) + " shown)";
      more.onclick = function () {
        more.disabled = true;
        more.textContent = "Loading…";
        var firstNew = list.children.length;
        fetchPage(page.pageInfo.endCursor).then(function (next) {
          fill(next);
          var link = list.children[firstNew] && list.children[firstNew].querySelector("a");
          if (link) link.focus();
          announce(plural(list.children.length, "code", "codes") + " shown");
        }, function (error) {
          more.disabled = false;
          more.textContent = "Show more";
          if (error.name !== "AbortError") announce(error.message);
        });
      };
    }
    fill(first);
    return section;
  }

  // ------------------------------------------------------------------ views

  function viewHome(signal) {
    return gql(Q_HOME, { release: release() }, signal).then(function (data) {
      var r = state.releases.find(function (x) { return x.name === release(); });
      var facts = r
        ? h("p", { class: "lead" }, "Release ", h("strong", null, r.name), ", effective ", formatDate(r.effectiveDate), ": ",
          plural(r.codeCount, "procedure code", "procedure codes"), " and ",
          plural(r.modifierCount, "modifier", "modifiers"), ".",
          r.isSample ? " This is the bundled one-record sample, not the code set: load a CMS release to look up real codes." : null)
        : null;
      var families = data.betosFamilies.map(function (family) {
        return h("li", { class: "family" },
          h("h3", null, h("a", { href: href("family", family.code) },
            h("code", { class: "value-code" }, family.code), " ", family.description || "")),
          h("ul", { class: "family-codes" }, family.betosCodes.map(function (b) {
            return h("li", null, valueLink("betos", b));
          })));
      });
      show([
        h("section", { class: "hero" },
          h("h1", null, "Look up a HCPCS Level II code"),
          h("p", { class: "lead" }, "Search by code or by words in its description. Every coded field is decoded and links to the other codes that share it."),
          facts),
        h("section", { class: "panel" },
          h("div", { class: "panel-head" }, h("h2", null, "Browse by BETOS category")),
          h("ul", { class: "families" }, families)),
      ], null, false);
    });
  }

  function viewSearch(signal) {
    var text = route.arg;
    var vars = { search: text, release: release() };
    return gql(Q_SEARCH, vars, signal).then(function (data) {
      var input = document.getElementById("search");
      if (document.activeElement !== input) input.value = text;
      var page = function (after) {
        return gql(Q_SEARCH, Object.assign({}, vars, { after: after })).then(function (d) { return d.list; });
      };
      show([
        h("header", { class: "page-head" }, eyebrow("Search"),
          h("h1", null, "Codes matching “", text, "”")),
        pagedCodes("Matching codes, best match first", data.list, page),
      ], "Search: " + text, true);
    });
  }

  function row(label, content, hint) {
    return [h("dt", null, label, hint ? h("span", { class: "dt-hint" }, hint) : null), h("dd", null, content)];
  }

  function optionalRows(rows) {
    return rows.filter(function (r) { return r[1] !== null && r[1] !== undefined && !(Array.isArray(r[1]) && !r[1].length); })
      .map(function (r) { return row(r[0], Array.isArray(r[1]) ? r[1].join(", ") : r[1]); });
  }

  function noteMissing(rel) {
    if (rel.processingNoteCount) {
      return "Release " + rel.name + "'s processing notes file has no note of this number.";
    }
    return "Release " + rel.name + " was loaded without its processing notes file, so the " +
      "note's text is not here. CMS ships it in the release's ZIP (proc_notes_*.txt); load it " +
      "with hcpcs load <release file> --notes <notes file>.";
  }

  function viewCode(signal) {
    var code = route.arg.trim().toUpperCase();
    return gql(Q_CODE, { code: code, release: release() }, signal).then(function (data) {
      var c = data.hcpcsCode;
      if (!c) {
        show(h("div", { class: "notice" },
          eyebrow("HCPCS code"),
          h("h1", null, "No code ", h("code", null, code), " in release ", release()),
          h("p", null, "Try another release in the picker above, or ",
            h("a", { href: href("search", code) }, "search for “" + code + "”"), ".")),
          code + " not found", true);
        return;
      }
      var statusText = { ACTIVE: "Active", NOT_YET_ADDED: "Not yet added", TERMINATED: "Terminated" }[c.status] || c.status;
      var pricing = c.pricingIndicators.length
        ? h("ul", { class: "values" }, c.pricingIndicators.map(function (p) {
          return h("li", null, valueLink("pricing", p,
            p.feeSchedule ? h("span", { class: "value-note" }, p.feeSchedule) : null));
        }))
        : h("span", { class: "none" }, "None");
      var betos = c.betos
        ? h("div", { class: "stack" }, valueLink("betos", c.betos),
          h("span", { class: "family-line" }, "Category: ",
            h("a", { href: href("family", c.betos.family.code) },
              c.betos.family.code, " — ", c.betos.family.description || "")))
        : h("span", { class: "none" }, "None");
      var note = c.processingNote
        ? h("div", { class: "stack" },
          h("a", { href: href("note", c.processingNote.number) }, "Note " + c.processingNote.number),
          c.processingNote.text ? h("p", { class: "note-text" }, c.processingNote.text)
            : h("span", { class: "muted" }, noteMissing(c.release)))
        : h("span", { class: "none" }, "None");
      var xrefs = c.crossReferences.length
        ? h("ul", { class: "values" }, c.crossReferences.map(function (x) {
          if (!x.target) {
            return h("li", { class: "value" }, h("code", { class: "value-code plain" }, x.code),
              h("span", { class: "muted" }, "Not in any loaded release (often a CPT code)"));
          }
          var same = x.target.release.name === release();
          return h("li", null, codeLink(x.target.code, x.target.shortDescription,
            same ? href("code", x.target.code) : hrefIn("code", x.target.code, x.target.release.name),
            same ? null : "In release " + x.target.release.name));
        }))
        : h("span", { class: "none" }, "None");
      var referenced = c.referencedBy.length
        ? h("ul", { class: "values" }, c.referencedBy.map(function (x) {
          return h("li", null, codeLink(x.code, x.shortDescription, href("code", x.code)));
        }))
        : h("span", { class: "none" }, "None");
      var other = optionalRows([
        ["ASC payment group", c.ascPaymentGroup ? valueLink("asc", c.ascPaymentGroup) : null],
        ["ASC effective date", formatDate(c.ascEffectiveDate)],
        ["MOG payment group", c.mogPaymentGroup ? valueLink("mog", c.mogPaymentGroup) : null],
        ["MOG payment policy", c.mogPaymentPolicyIndicator ? valueLink("mog-policy", c.mogPaymentPolicyIndicator) : null],
        ["MOG effective date", formatDate(c.mogEffectiveDate)],
        ["Coverage Issues Manual", c.cimReferences],
        ["Medicare Carriers Manual", c.mcmReferences],
        ["Statute", c.statute],
      ]);

      show([
        h("header", { class: "page-head" },
          eyebrow("HCPCS code"),
          h("h1", { class: "code-title" }, h("code", { class: "big-code" }, c.code), h("span", null, c.shortDescription)),
          c.longDescription !== c.shortDescription ? h("p", { class: "long-description" }, c.longDescription) : null,
          h("p", { class: "badges" },
            c.status === "TERMINATED"
              ? h("span", { class: "badge badge-terminated" }, "Terminated ", formatDate(c.terminationDate))
              : h("span", { class: "badge badge-" + c.status.toLowerCase() }, statusText),
            h("span", { class: "muted" }, " status as of ", formatDate(c.statusDate)))),
        h("div", { class: "grid" },
          h("section", { class: "panel", "aria-labelledby": "h-pay" },
            h("h2", { id: "h-pay" }, "Payment and coverage"),
            h("dl", { class: "fields" },
              row("Pricing indicators", pricing, "with fee schedule"),
              row("Multiple pricing indicator", valueLink("multiple-pricing", c.multiplePricingIndicator)),
              row("Coverage", valueLink("coverage", c.coverage)))),
          h("section", { class: "panel", "aria-labelledby": "h-class" },
            h("h2", { id: "h-class" }, "Classification"),
            h("dl", { class: "fields" },
              row("BETOS", betos),
              row("Types of service", values("tos", c.typesOfService)),
              row("Lab certifications", values("lab", c.labCertifications)),
              row("Anesthesia base units", c.anesthesiaBaseUnits === null ? h("span", { class: "none" }, "None") : String(c.anesthesiaBaseUnits)))),
          h("section", { class: "panel", "aria-labelledby": "h-dates" },
            h("h2", { id: "h-dates" }, "Dates and change"),
            h("dl", { class: "fields" },
              row("Action", valueLink("action", c.action)),
              row("Action effective", formatDate(c.actionEffectiveDate) || h("span", { class: "none" }, "None")),
              row("Added", formatDate(c.addedDate) || h("span", { class: "none" }, "None")),
              row("Terminated", formatDate(c.terminationDate) || h("span", { class: "none" }, "Not terminated")),
              row("Release", h("span", null, c.release.name, h("span", { class: "muted" }, ", effective "), formatDate(c.release.effectiveDate))))),
          h("section", { class: "panel", "aria-labelledby": "h-notes" },
            h("h2", { id: "h-notes" }, "Notes and references"),
            h("dl", { class: "fields" },
              row("Processing note", note),
              row("Cross references", xrefs),
              row("Referenced by", referenced),
              other))),
      ], c.code + " " + c.shortDescription, true);
    });
  }

  function viewValue(kind, signal) {
    var spec = KINDS[kind];
    var query = valueQuery(kind);
    var vars = { code: route.arg, release: release() };
    return gql(query, vars, signal).then(function (data) {
      var v = data.value;
      if (!v) {
        show(h("div", { class: "notice" }, eyebrow(spec.label),
          h("h1", null, "No ", spec.noun, " ", h("code", null, route.arg), " in release ", release())),
        spec.label + " not found", true);
        return;
      }
      var page = function (after) {
        return gql(query, Object.assign({}, vars, { after: after })).then(function (d) { return d.value.list; });
      };
      var details = [];
      if (v.family) {
        details.push(h("p", { class: "lead" }, "Category: ",
          h("a", { href: href("family", v.family.code) }, v.family.code, " — ", v.family.description || "")));
      }
      if (v.feeSchedule) details.push(h("p", { class: "lead" }, "Fee schedule: ", v.feeSchedule));
      show([
        h("header", { class: "page-head" }, eyebrow(spec.label),
          h("h1", { class: "code-title" }, h("code", { class: "big-code" }, v.code),
            h("span", null, v.description || "(not in CMS's table)")),
          details),
        pagedCodes("Codes with this " + spec.noun, v.list, page),
      ], spec.label + " " + v.code, true);
    });
  }

  function viewNote(signal) {
    var n = parseInt(route.arg, 10);
    if (!(n >= 0)) return Promise.reject(new ApiError("“" + route.arg + "” is not a processing note number."));
    var vars = { number: n, release: release() };
    return gql(Q_NOTE, vars, signal).then(function (data) {
      var v = data.value;
      if (!v) {
        show(h("div", { class: "notice" }, eyebrow("Processing note"),
          h("h1", null, "No processing note ", String(n), " in release ", release())), "Note not found", true);
        return;
      }
      var page = function (after) {
        return gql(Q_NOTE, Object.assign({}, vars, { after: after })).then(function (d) { return d.value.list; });
      };
      show([
        h("header", { class: "page-head" }, eyebrow("Processing note"),
          h("h1", null, "Processing note ", String(v.number)),
          h("p", { class: "note-text" }, v.text || "No text: this release's notes file was not loaded or lacks this note.")),
        pagedCodes("Codes with this note", v.list, page),
      ], "Processing note " + v.number, true);
    });
  }

  function viewFamily(signal) {
    return gql(Q_FAMILY, { release: release() }, signal).then(function (data) {
      var code = route.arg.trim().toUpperCase();
      var family = data.betosFamilies.find(function (f) { return f.code === code; });
      if (!family) {
        show(h("div", { class: "notice" }, eyebrow("BETOS category"),
          h("h1", null, "No BETOS category ", h("code", null, code))), "Not found", true);
        return;
      }
      show([
        h("header", { class: "page-head" }, eyebrow("BETOS category"),
          h("h1", { class: "code-title" }, h("code", { class: "big-code" }, family.code),
            h("span", null, family.description || ""))),
        h("section", { class: "panel" },
          h("h2", null, "BETOS codes in this category"),
          h("ul", { class: "code-list" }, family.betosCodes.map(function (b) {
            return h("li", null, h("a", { href: href("betos", b.code) },
              h("code", { class: "row-code" }, b.code),
              h("span", { class: "row-text" }, b.description || ""),
              h("span", { class: "row-count" }, plural(b.codes.totalCount, "code", "codes"))));
          }))),
      ], "BETOS category " + family.code, true);
    });
  }

  function render(focus) {
    route = parseHash();
    moveFocus = focus !== false;
    document.querySelector(".brand").setAttribute("href", route.release ? href("home") : "#");
    syncPicker();
    // the box shows the search a page lists, not one typed before following a link or a
    // suggestion (typing changes no route: only Enter does, to a search)
    if (route.view !== "search") document.getElementById("search").value = "";
    if (current) current.abort();
    current = new AbortController();
    var signal = current.signal;
    loading();
    var done;
    if (route.view === "home") done = viewHome(signal);
    else if (route.view === "code") done = viewCode(signal);
    else if (route.view === "search") done = viewSearch(signal);
    else if (route.view === "note") done = viewNote(signal);
    else if (route.view === "family") done = viewFamily(signal);
    else if (KINDS[route.view]) done = viewValue(route.view, signal);
    else done = Promise.reject(new ApiError("There is no page “#" + route.view + "”."));
    done.catch(function (error) {
      if (!signal.aborted) showError(error);
    });
  }

  // ---------------------------------------------------------- release picker

  var picker = document.getElementById("release");

  function syncPicker() {
    var name = release();
    if (!name) return;
    if (!Array.prototype.some.call(picker.options, function (o) { return o.value === name; })) {
      picker.appendChild(h("option", { value: name }, name + " (not loaded)"));
    }
    picker.value = name;
  }

  picker.addEventListener("change", function () {
    var r = route;
    var path = "#" + (r.view === "home" ? "home" : r.view + "/" + encodeURIComponent(r.arg));
    window.location.hash = path + "?release=" + encodeURIComponent(picker.value);
  });

  // ------------------------------------------------------ search suggestions

  var input = document.getElementById("search");
  var listbox = document.getElementById("suggestions");
  var form = document.getElementById("search-form");
  var suggestTimer = null;
  var suggestAbort = null;
  var active = -1;
  var CODE = /^[A-Za-z][0-9]{4}$/;

  function searchable(text) {
    return /[A-Za-z0-9]/.test(text);
  }

  function closeSuggestions() {
    listbox.hidden = true;
    listbox.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function setActive(index) {
    var options = listbox.querySelectorAll("[role=option]");
    if (!options.length) return;
    active = (index + options.length) % options.length;
    options.forEach(function (o, i) { o.setAttribute("aria-selected", i === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  function openCode(code) {
    closeSuggestions();
    window.location.hash = href("code", code);
  }

  function showSuggestions(text, page) {
    listbox.replaceChildren();
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!page.nodes.length) {
      listbox.appendChild(h("li", { class: "suggestion-empty", role: "presentation" }, "No codes match “" + text + "”"));
    }
    page.nodes.forEach(function (node, i) {
      listbox.appendChild(h("li", {
        id: "suggestion-" + i, role: "option", class: "suggestion", "aria-selected": "false",
        "data-code": node.code,
        onmousedown: function (event) { event.preventDefault(); },
        onclick: function () { openCode(node.code); },
      }, h("code", { class: "row-code" }, node.code), h("span", { class: "row-text" }, node.shortDescription),
        endedMark(node)));
    });
    if (page.totalCount > page.nodes.length) {
      listbox.appendChild(h("li", {
        id: "suggestion-all", role: "option", class: "suggestion suggestion-all", "aria-selected": "false",
        onmousedown: function (event) { event.preventDefault(); },
        onclick: function () { closeSuggestions(); window.location.hash = href("search", text); },
      }, "All " + number.format(page.totalCount) + " matches for “" + text + "” →"));
    }
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
    announce(plural(page.totalCount, "match", "matches"));
  }

  function suggest() {
    var text = input.value.trim();
    if (suggestAbort) suggestAbort.abort();
    if (text.length < 2 || !searchable(text)) {
      closeSuggestions();
      return;
    }
    suggestAbort = new AbortController();
    gql(Q_SUGGEST, { search: text.slice(0, 200), release: release() }, suggestAbort.signal).then(function (data) {
      if (input.value.trim() === text && document.activeElement === input) showSuggestions(text, data.hcpcsCodes);
    }, function (error) {
      if (error.name !== "AbortError") {
        listbox.replaceChildren(h("li", { class: "suggestion-empty", role: "presentation" }, error.message));
        listbox.hidden = false;
      }
    });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(suggestTimer);
    suggestTimer = window.setTimeout(suggest, DEBOUNCE_MS);
  });

  input.addEventListener("keydown", function (event) {
    var open = !listbox.hidden && listbox.querySelector("[role=option]");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!open) { suggest(); return; }
      event.preventDefault();
      setActive(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Escape") {
      if (!listbox.hidden) { event.preventDefault(); closeSuggestions(); }
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      listbox.querySelectorAll("[role=option]")[active].click();
    }
  });

  input.addEventListener("blur", function () {
    window.setTimeout(closeSuggestions, 100);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || !searchable(text)) return;
    window.clearTimeout(suggestTimer);
    if (suggestAbort) suggestAbort.abort();
    closeSuggestions();
    window.location.hash = CODE.test(text) ? href("code", text.toUpperCase()) : href("search", text);
  });

  // ---------------------------------------------------------------- start

  document.querySelector("[data-skip]").addEventListener("click", function (event) {
    event.preventDefault();
    mainEl.focus();
  });

  window.addEventListener("hashchange", function () {
    render();
    window.scrollTo(0, 0);
  });

  gql(Q_RELEASES, {}).then(function (data) {
    state.releases = data.releases;
    state.newest = data.releases.length ? data.releases[0].name : null;
    picker.replaceChildren();
    data.releases.forEach(function (r, i) {
      picker.appendChild(h("option", { value: r.name },
        r.name + (i === 0 ? " (newest)" : "") + (r.isSample ? " (sample)" : "")));
    });
    render(false);
  }, showError);
})();
