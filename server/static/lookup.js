// The lookup page: plain JavaScript over the GraphQL API at /graphql, no build step.
//
// Views are addressed by the URL hash, so each can be linked and bookmarked:
//   #                        start: the release and the BETOS categories
//   #search/wheelchair       every code matching a search
//   #code/G6002              one code, every field decoded, and its history
//   #modifier/KX             one modifier, the same way
//   #betos/I4B, #tos/1, ...  a coded value and the codes carrying it
//   #family/I                a BETOS category and its BETOS codes
//   #note/12                 a processing note and its codes
//   #ndc/50242-0060-01       the HCPCS codes an NDC bills under (the ASP crosswalk)
// Each takes ?release=2025-10; without it the newest release is used. Every query
// passes `release:`.
(function () {
  "use strict";

  var ENDPOINT = "/graphql";
  var PAGE = 50; // codes per page in lists
  var SUGGESTIONS = 10;
  var MODIFIER_SUGGESTIONS = 3;
  var DEBOUNCE_MS = 200;

  // ---------------------------------------------------------------- the API

  // error: the first GraphQL error, when the server sent one (its extensions say its code)
  function ApiError(message, error) {
    this.name = "ApiError";
    this.message = message;
    this.code = (error && error.extensions && error.extensions.code) || null;
  }
  ApiError.prototype = Object.create(Error.prototype);

  function answered(response) {
    return response.json().catch(function () {
      throw new ApiError("The server answered " + response.status + " without JSON.");
    }).then(function (body) {
      if (body.errors && body.errors.length) {
        throw new ApiError(body.errors[0].message, body.errors[0]);
      }
      return body.data;
    });
  }

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
    }).then(answered);
  }

  // A query by POST, for variables too long for a URL (a claim's lines): never cached.
  function gqlPost(query, variables, signal) {
    return fetch(ENDPOINT, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify({ query: query.replace(/\s+/g, " ").trim(), variables: variables || {} }),
      cache: "no-store",
      credentials: "same-origin",
      signal: signal,
    }).then(answered);
  }

  var CODE_ROW = "nodes { code shortDescription status terminationDate }";
  var LIST = "totalCount pageInfo { hasNextPage endCursor } " + CODE_ROW;

  var Q_RELEASES = "query Releases { releases { name effectiveDate codeCount modifierCount isSample } }";

  var Q_HOME =
    "query Home($release: String) {" +
    " betosFamilies(release: $release) { code description betosCodes { code description } } }";

  // Modifiers are searched beside codes: "KX" must find the KX modifier.
  var Q_SUGGEST =
    "query Suggest($search: String!, $release: String) {" +
    " hcpcsCodes(search: $search, release: $release, first: " + SUGGESTIONS + ") {" +
    " totalCount " + CODE_ROW + " }" +
    " modifiers(search: $search, release: $release, first: " + MODIFIER_SUGGESTIONS + ") {" +
    " totalCount " + CODE_ROW + " } }";

  var Q_SEARCH =
    "query Search($search: String!, $release: String) {" +
    " list: hcpcsCodes(search: $search, release: $release, first: " + PAGE + ") { " + LIST + " }" +
    " modifiers: modifiers(search: $search, release: $release, first: " + PAGE + ") { " + LIST + " } }";

  // The next page of one list of a search: codes or modifiers.
  function searchPageQuery(root) {
    return (
      "query SearchPage($search: String!, $release: String, $after: String) {" +
      " list: " + root + "(search: $search, release: $release, first: " + PAGE + ", after: $after) {" +
      " " + LIST + " } }"
    );
  }

  var VALUE = "code description";
  var DECODED = "code description";

  // What Medicare pays for a code (issue 18), asked in the code's own query: the server
  // batches it, so a code's page stays one request. Each schedule release is the one in force
  // on the code's release date, else the latest loaded (the page says when it is not in force).
  var SCHEDULE = "schedule { name kind effectiveFrom effectiveThrough }";
  var PAYMENTS =
    "  drugPricing { dosage paymentLimit coinsurancePercent vaccineAwpPercent vaccineLimit" +
    "   bloodAwpPercent bloodLimit clottingFactor notes " + SCHEDULE + " }" +
    "  ndcs { ndc labeler drugName packageSize packageQuantity billingUnitsPerPackage " + SCHEDULE + " }" +
    "  dmeposFees { modifiers jurisdiction { " + VALUE + " } category { " + VALUE + " } ceiling floor" +
    "   stateFees { state nonRural rural } " + SCHEDULE + " }" +
    // issue 19: the physician, lab, ASC and OPPS schedules; the PFS amounts need a locality,
    // so they are asked apart (Q_PFS_PAYMENT), once one is chosen
    "  physicianFeeSchedule { modifier description status { code description }" +
    "   workRvu nonFacilityPeRvu facilityPeRvu malpracticeRvu nonFacilityTotal facilityTotal" +
    "   nonFacilityPeNotApplicable facilityPeNotApplicable globalDays { code description }" +
    "   conversionFactor " + SCHEDULE + " }" +
    "  labFees { modifier rate indicator { code description } effectiveDate " + SCHEDULE + " }" +
    "  ascPayment { addendum paymentIndicator { code description } paymentWeight paymentRate" +
    "   subjectToMultipleProcedureDiscounting passThroughExpiration adjustedCopayment " + SCHEDULE + " }" +
    "  outpatientPayment { statusIndicator { code description } apc { code } relativeWeight paymentRate" +
    "   nationalUnadjustedCopayment minimumUnadjustedCopayment changed " + SCHEDULE + " }";

  // The localities of a physician fee schedule release, to pick from; and one code's PFS
  // amounts at one of them (the same rows as the code's query: same code, same release).
  var Q_LOCALITIES =
    "query Localities($schedule: String) { localities(schedule: $schedule) { id state name counties } }";
  var Q_PFS_PAYMENT =
    "query PfsPayment($code: String!, $release: String, $locality: String!) {" +
    " hcpcsCode(code: $code, release: $release) { physicianFeeSchedule { modifier" +
    " payment(locality: $locality) { locality { id state name } nonFacility facility } } } }";

  // An NDC's crosswalk rows, from the newest loaded crosswalk: a release's date would often
  // fall after the crosswalk's quarter and find nothing.
  var Q_NDC =
    "query Ndc($ndc: String!) { ndc(code: $ndc) { ndc labeler drugName hcpcsCode shortDescription" +
    " billingUnitsPerPackage " + SCHEDULE + " code { code shortDescription status terminationDate } } }";
  // One query for a code or a modifier (their records share every field but referencedBy),
  // with its history: each loaded release's change against the one before, decoded.
  function recordQuery(kind) {
    var root = kind === "modifier" ? "modifier" : "hcpcsCode";
    return (
      "query " + (kind === "modifier" ? "Modifier" : "Code") + "($code: String!, $release: String) {" +
      " record: " + root + "(code: $code, release: $release) {" +
      "  code longDescription shortDescription" +
      "  pricingIndicators { " + VALUE + " feeSchedule }" +
      "  multiplePricingIndicator { " + VALUE + " }" +
      "  coverage { " + VALUE + " }" +
      "  betos { " + VALUE + " family { code description } }" +
      "  typesOfService { " + VALUE + " }" +
      "  action { " + VALUE + " }" +
      "  labCertifications { " + VALUE + " }" +
      "  processingNote { number text }" +
      "  crossReferences { code target { code shortDescription status terminationDate release { name } } }" +
      (kind === "modifier" ? "" : "  referencedBy { code shortDescription status terminationDate }") +
      (kind === "modifier" ? "" : PAYMENTS) +
      "  ascPaymentGroup { " + VALUE + " } ascEffectiveDate" +
      "  mogPaymentGroup { " + VALUE + " } mogPaymentPolicyIndicator { " + VALUE + " } mogEffectiveDate" +
      "  cimReferences mcmReferences statute" +
      "  anesthesiaBaseUnits addedDate actionEffectiveDate terminationDate" +
      "  status statusDate" +
      "  release { name effectiveDate processingNoteCount }" +
      "  history { release { name effectiveDate } shortDescription status terminationDate }" +
      "  changes { kind fromRelease { name } toRelease { name effectiveDate } action { " + VALUE + " }" +
      "   after { shortDescription }" +
      "   differences { field before after beforeDecoded { " + DECODED + " } afterDecoded { " + DECODED + " } } }" +
      " } }"
    );
  }

  // What each field means: the schema's descriptions (CMS's record layout), read once.
  var Q_MEANINGS = "query Meanings { __type(name: \"HcpcsCode\") { fields { name description } } }";

  // Each field of a record as the page labels it, by its name in the schema.
  var LABELS = {
    pricingIndicators: "Pricing indicators",
    multiplePricingIndicator: "Multiple pricing indicator",
    coverage: "Coverage",
    betos: "BETOS",
    typesOfService: "Types of service",
    labCertifications: "Lab certifications",
    anesthesiaBaseUnits: "Anesthesia base units",
    action: "Action",
    actionEffectiveDate: "Action effective",
    addedDate: "Added",
    terminationDate: "Terminated",
    release: "Release",
    processingNote: "Processing note",
    crossReferences: "Cross references",
    referencedBy: "Referenced by",
    ascPaymentGroup: "ASC payment group",
    ascEffectiveDate: "ASC effective date",
    mogPaymentGroup: "MOG payment group",
    mogPaymentPolicyIndicator: "MOG payment policy",
    mogEffectiveDate: "MOG effective date",
    cimReferences: "Coverage Issues Manual",
    mcmReferences: "Medicare Carriers Manual",
    statute: "Statute",
    longDescription: "Long description",
    shortDescription: "Short description",
    sequenceNumber: "Sequence number",
    recordId: "Record identification code",
  };

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

  // A coded value with the first page of its codes and of its modifiers; with `list`
  // ("codes" or "modifiers"), the next page of that list alone.
  function valueQuery(kind, list) {
    var spec = KINDS[kind];
    if (list) {
      return (
        "query ValuePage($code: String!, $release: String, $after: String) {" +
        " value: " + spec.field + "(code: $code, release: $release) {" +
        " list: " + list + "(first: " + PAGE + ", after: $after) { " + LIST + " } } }"
      );
    }
    return (
      "query Value($code: String!, $release: String) {" +
      " value: " + spec.field + "(code: $code, release: $release) {" +
      " code description " + (spec.extra || "") +
      " list: codes(first: " + PAGE + ") { " + LIST + " }" +
      " modifiers: modifiers(first: " + PAGE + ") { " + LIST + " } } }"
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
  // The release the user chose, when it is loaded: links carry it; one not loaded (a stale
  // bookmark) is not carried on, so every link leads back to a release that answers.
  function chosen() {
    var name = route.release;
    if (!name || !state.releases.length) return name;
    return state.releases.some(function (r) { return r.name === name; }) ? name : null;
  }

  function href(view, arg) {
    var path = "#" + view + (arg !== undefined && arg !== null ? "/" + encodeURIComponent(arg) : "");
    return chosen() ? path + "?release=" + encodeURIComponent(chosen()) : path;
  }

  function hrefIn(view, arg, releaseName) {
    return "#" + view + "/" + encodeURIComponent(arg) + "?release=" + encodeURIComponent(releaseName);
  }

  // ------------------------------------------------------------ rendering

  var viewEl = document.getElementById("view");
  var mainEl = document.getElementById("main");
  var current = null; // the AbortController of the view being shown
  var moveFocus = false; // after a navigation, focus goes to the new view's heading
  var restore = null; // ...or, back on a view, to the link followed from it

  // Each history entry is stamped with a number, so that coming back to one (Back, Forward)
  // can be told from arriving anew, and the link followed from it is remembered by entry:
  // its href, which of the view's links with that href it was, and how many rows its list
  // showed (a list grown by "Show more" is grown again); or that the release picker was used.
  var followed = {};
  var entries = Date.now();

  function entryOf() {
    return window.history.state && window.history.state.lookupEntry;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (!link || !viewEl.contains(link) || !entryOf()) return;
    var target = link.getAttribute("href");
    var same = Array.prototype.filter.call(viewEl.querySelectorAll("a"), function (a) {
      return a.getAttribute("href") === target;
    });
    var list = link.closest("ol.code-list");
    followed[entryOf()] = {
      href: target, index: same.indexOf(link),
      list: list && list.getAttribute("aria-label"), rows: list ? list.children.length : 0,
    };
  });

  // Grows the list a followed link was in back to the rows it had, a page at a time.
  function regrow(record) {
    var list = record.list && Array.prototype.find.call(viewEl.querySelectorAll("ol.code-list"), function (ol) {
      return ol.getAttribute("aria-label") === record.list;
    });
    if (!list || !list.showMore || list.children.length >= record.rows) return Promise.resolve();
    var grown = list.showMore();
    return grown ? grown.then(function () { return regrow(record); }) : Promise.resolve();
  }

  function followedLink(record) {
    var same = Array.prototype.filter.call(viewEl.querySelectorAll("a"), function (a) {
      return a.getAttribute("href") === record.href;
    });
    return same[record.index] || same[0] || null;
  }

  function show(nodes, title, focus) {
    viewEl.replaceChildren();
    append(viewEl, nodes);
    viewEl.setAttribute("aria-busy", "false");
    document.title = (title ? title + " · " : "") + "HCPCS lookup";
    var link = restore && (restore.picker ? picker : followedLink(restore));
    if (restore && !restore.picker && restore.rows > 0) {
      var record = restore;
      var signal = current && current.signal;
      regrow(record).then(function () {
        var again = followedLink(record);
        if (again && !(signal && signal.aborted)) again.focus();
      }, function () { /* the view stays as shown */ });
    }
    if (link) {
      link.focus();
    } else if (focus && moveFocus) {
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

  // A link to a code, drawn like a coded value; a terminated one says so (node: its status).
  function codeLink(code, text, target, note, node) {
    return h("a", { class: "value", href: target },
      h("code", { class: "value-code" }, code),
      h("span", { class: "value-text" }, text),
      note ? h("span", { class: "value-note" }, note) : null,
      node ? endedMark(node) : null);
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

  function codeList(nodes, kind) {
    return nodes.map(function (node) {
      return h("li", null,
        h("a", { href: href(kind || "code", node.code) },
          h("code", { class: "row-code" }, node.code),
          h("span", { class: "row-text" }, node.shortDescription),
          endedMark(node)));
    });
  }

  // A paged list of codes (or, with kind "modifier", of modifiers): a count, rows, and a
  // button that fetches the next page.
  function pagedCodes(heading, first, fetchPage, kind, emptyText) {
    var noun = kind === "modifier" ? ["modifier", "modifiers"] : ["code", "codes"];
    var id = (kind || "code") + "s-heading";
    var list = h("ol", { class: "code-list", "aria-label": heading });
    var count = h("p", { class: "count" });
    var more = h("button", { type: "button", class: "button more" });
    var section = h("section", { class: "panel", "aria-labelledby": id },
      h("div", { class: "panel-head" }, h("h2", { id: id }, heading), count),
      list, more);

    function fill(page) {
      count.replaceChildren(h("strong", { class: "total-count" }, number.format(page.totalCount)),
        " " + (page.totalCount === 1 ? noun[0] : noun[1]));
      append(list, codeList(page.nodes, kind));
      var shown = list.children.length;
      if (!page.totalCount) {
        list.replaceWith(h("p", { class: "muted" }, emptyText || "No " + noun[1] + " in this release."));
      }
      more.hidden = !page.pageInfo.hasNextPage;
      more.disabled = false;
      more.textContent = "Show more (" + number.format(shown) + " of " + number.format(page.totalCount) + " shown)";
      // the next page, appended; null when there is none or one is on its way
      list.showMore = function () {
        if (more.hidden || more.disabled) return null;
        more.disabled = true;
        more.textContent = "Loading…";
        return fetchPage(page.pageInfo.endCursor).then(fill, function (error) {
          more.disabled = false;
          more.textContent = "Show more";
          throw error;
        });
      };
      more.onclick = function () {
        var firstNew = list.children.length;
        var grown = list.showMore();
        if (!grown) return;
        grown.then(function () {
          var link = list.children[firstNew] && list.children[firstNew].querySelector("a");
          if (link) link.focus();
          announce(plural(list.children.length, noun[0], noun[1]) + " shown");
        }, function (error) {
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
        return gql(searchPageQuery("hcpcsCodes"), Object.assign({}, vars, { after: after })).then(function (d) { return d.list; });
      };
      var modifierPage = function (after) {
        return gql(searchPageQuery("modifiers"), Object.assign({}, vars, { after: after })).then(function (d) { return d.list; });
      };
      show([
        h("header", { class: "page-head" }, eyebrow("Search"),
          h("h1", null, "Codes and modifiers matching “", text, "”")),
        data.modifiers.totalCount
          ? pagedCodes("Matching modifiers, best match first", data.modifiers, modifierPage, "modifier")
          : null,
        pagedCodes("Matching codes, best match first", data.list, page, "code",
          "No codes match" + (data.modifiers.totalCount ? "; the modifiers above do." : ".")),
      ], "Search: " + text, true);
    });
  }

  // The meanings of the record's fields, by field name: {} when they cannot be read (e.g. a
  // server answering no introspection), and the page shows labels alone.
  var meaningsPromise = null;
  function meanings() {
    if (!meaningsPromise) {
      meaningsPromise = gql(Q_MEANINGS, {}).then(function (data) {
        var out = {};
        ((data.__type && data.__type.fields) || []).forEach(function (f) {
          if (f.description) out[f.name] = f.description;
        });
        return out;
      }, function () { return {}; });
    }
    return meaningsPromise;
  }

  var tipCount = 0;
  var pinned = null; // the label whose meaning a click or tap keeps open: one at a time

  function unpin() {
    if (pinned) pinned.classList.remove("pinned");
    pinned = null;
  }

  // Escape hides every meaning shown (by hover, focus or a click) until the pointer or focus
  // leaves its label; a click or tap anywhere else closes a pinned one.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    unpin();
    document.querySelectorAll(".has-meaning:hover, .has-meaning:focus-within").forEach(function (dt) {
      dt.classList.add("meaning-dismissed");
    });
  });
  document.addEventListener("click", function (event) {
    if (pinned && !pinned.contains(event.target)) unpin();
  });

  // A field's label; with a meaning, a button that shows it on hover and focus (a click or
  // tap keeps it shown), read as the button's description.
  function term(field, meaning, hint) {
    var label = LABELS[field] || field;
    var hintEl = hint ? h("span", { class: "dt-hint" }, hint) : null;
    if (!meaning) return h("dt", null, label, hintEl);
    var id = "meaning-" + (++tipCount);
    var tip = h("span", { id: id, role: "tooltip", class: "meaning" }, meaning);
    var dt = h("dt", { class: "has-meaning" });
    var button = h("button", {
      type: "button", class: "term", "aria-describedby": id,
      onclick: function () {
        var was = pinned === dt;
        unpin();
        dt.classList.remove("meaning-dismissed");
        if (!was) {
          dt.classList.add("pinned");
          pinned = dt;
        }
      },
      onblur: function () { dt.classList.remove("meaning-dismissed"); },
    }, label);
    append(dt, [button, hintEl, tip]);
    dt.addEventListener("mouseleave", function () { dt.classList.remove("meaning-dismissed"); });
    return dt;
  }

  function row(field, content, known, hint) {
    return [term(field, known[field], hint), h("dd", null, content)];
  }

  // Rows for the fields a record may lack: [field, content] pairs, empty ones left out.
  function optionalRows(rows, known) {
    return rows.filter(function (r) { return r[1] !== null && r[1] !== undefined && !(Array.isArray(r[1]) && !r[1].length); })
      .map(function (r) { return row(r[0], Array.isArray(r[1]) ? r[1].join(", ") : r[1], known); });
  }

  function noteMissing(rel) {
    if (rel.processingNoteCount) {
      return "Release " + rel.name + "'s processing notes file has no note of this number.";
    }
    return "Release " + rel.name + " was loaded without its processing notes file, so the " +
      "note's text is not here. CMS ships it in the release's ZIP (proc_notes_*.txt); load it " +
      "with hcpcs load <release file> --notes <notes file>.";
  }

  // A value as the timeline shows it: decoded when coded, a date formatted, else as CMS has it.
  function changedValue(text, decoded) {
    if (decoded && decoded.length) {
      return decoded.map(function (v, i) {
        return [i ? ", " : null, h("code", null, v.code), v.description ? " " + v.description : null];
      });
    }
    if (text === null || text === undefined || text === "") return h("span", { class: "none" }, "none");
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return formatDate(text);
    return text;
  }

  var KIND_TEXT = {
    ADDED: "Added", DISCONTINUED: "Discontinued", REACTIVATED: "Reactivated",
    CHANGED: "Changed", DROPPED: "Dropped from the file", UNCHANGED: "No change",
  };

  // The record across the loaded releases, oldest first: where it first appears, then each
  // release's change against the one before (runs of releases without one on one line).
  function timeline(kind, r) {
    if (!r.history.length) return null;
    var oldest = r.history[0];
    var first = oldest.release;
    var items = [h("li", { class: "event" },
      h("p", { class: "event-head" },
        h("a", { href: hrefIn(kind, r.code, first.name) }, first.name),
        h("span", { class: "event-kind" }, "First loaded release with this " + (kind === "modifier" ? "modifier" : "code")),
        h("span", { class: "muted" }, " effective "), formatDate(first.effectiveDate)),
      oldest.status === "TERMINATED"
        ? h("p", { class: "event-note" }, "Already terminated there: ended ", formatDate(oldest.terminationDate), ".")
        : null)];
    // the description of the version last seen before each release, for a code back in the file
    var lastSeen = {};
    var previous = null;
    r.history.forEach(function (v) { lastSeen[v.release.name] = previous; previous = v; });
    var dropped = false;
    var quiet = [];
    function flushQuiet() {
      if (!quiet.length) return;
      items.push(h("li", { class: "event event-quiet" },
        h("p", { class: "event-head" }, "No change in ",
          quiet.map(function (name, i) {
            return [i ? ", " : null, h("a", { href: hrefIn(kind, r.code, name) }, name)];
          }))));
      quiet = [];
    }
    r.changes.forEach(function (c) {
      if (c.kind === "UNCHANGED") {
        quiet.push(c.toRelease.name);
        return;
      }
      flushQuiet();
      var to = c.toRelease.name;
      var back = dropped && (c.kind === "ADDED" || c.kind === "DISCONTINUED" || c.kind === "REACTIVATED");
      var before = back ? lastSeen[to] : null;
      dropped = c.kind === "DROPPED" || (dropped && !back);
      items.push(h("li", { class: "event event-" + c.kind.toLowerCase() },
        h("p", { class: "event-head" },
          c.kind === "DROPPED" ? h("span", null, to) : h("a", { href: hrefIn(kind, r.code, to) }, to),
          h("span", { class: "event-kind" },
            back ? "Back in the file" + (c.kind === "DISCONTINUED" ? ", terminated" : "") : KIND_TEXT[c.kind] || c.kind),
          c.action ? h("span", { class: "muted" }, " action ", c.action.code, " ", c.action.description) : null),
        c.kind === "DROPPED" ? h("p", { class: "event-note" }, "Not in this release's file.") : null,
        before && c.after && before.shortDescription !== c.after.shortDescription
          ? h("p", { class: "event-note" }, "Now “", c.after.shortDescription, "”; last seen in ",
            before.release.name, " as “", before.shortDescription, "”.")
          : null,
        c.differences.length
          ? h("ul", { class: "differences" }, c.differences.map(function (d) {
            return h("li", null,
              h("span", { class: "difference-field" }, LABELS[d.field] || d.field), ": ",
              h("span", { class: "before" }, changedValue(d.before, d.beforeDecoded)),
              h("span", { class: "arrow", "aria-label": "changed to" }, " → "),
              h("span", { class: "after" }, changedValue(d.after, d.afterDecoded)));
          }))
          : null));
    });
    flushQuiet();
    return h("section", { class: "panel history", "aria-labelledby": "h-history" },
      h("h2", { id: "h-history" }, "History across loaded releases"),
      h("ol", { class: "timeline" }, items));
  }

  // ------------------------------------------------------- what Medicare pays

  var SCHEDULE_NAMES = {
    ASP_PRICING: "ASP pricing file",
    NDC_CROSSWALK: "ASP NDC-HCPCS crosswalk",
    DMEPOS: "DMEPOS fee schedule",
    DMEPEN: "DMEPEN fee schedule (parenteral and enteral nutrition)",
    PHYSICIAN_FEE_SCHEDULE: "Physician fee schedule relative value file",
    CLINICAL_LAB_FEE_SCHEDULE: "Clinical laboratory fee schedule",
    ASC_PAYMENT: "ASC addenda",
    OPPS_ADDENDUM_B: "OPPS Addendum B",
  };
  var NDC_ROWS = 10; // NDC rows shown before "Show all": J7512 has 175
  var STATE_KEY = "hcpcs-lookup.state"; // the state last chosen, kept across views and visits
  var LOCALITY_KEY = "hcpcs-lookup.locality"; // the PFS locality last chosen, the same way
  var shortDate = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

  // US dollars from a Decimal string, digit for digit: never through a binary float, which
  // could change them. "146.312" stays "$146.312"; whole cents are filled in ("26.2" ->
  // "$26.20"), and thousands grouped.
  function dollars(text) {
    var m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(text));
    if (!m) return String(text);
    var fraction = m[3] || "";
    while (fraction.length < 2) fraction += "0";
    return m[1] + "$" + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + fraction;
  }

  // An amount as shown, with the server's exact string kept beside it.
  function money(text) {
    return h("span", { class: "money", "data-amount": text }, dollars(text));
  }

  function isZero(text) {
    return /^0*(\.0*)?$/.test(String(text));
  }

  // "Jan 1 – Mar 31, 2025"; a release whose file gives no end runs until the next one.
  function period(s) {
    if (!s.effectiveThrough) return h("span", null, "from ", formatDate(s.effectiveFrom), " (no end date in the file)");
    var from = new Date(s.effectiveFrom + "T00:00:00Z");
    var sameYear = s.effectiveFrom.slice(0, 4) === s.effectiveThrough.slice(0, 4);
    return h("span", null,
      sameYear ? h("time", { datetime: s.effectiveFrom }, shortDate.format(from)) : formatDate(s.effectiveFrom),
      " – ", formatDate(s.effectiveThrough));
  }

  function inForce(s, date) {
    return date >= s.effectiveFrom && (!s.effectiveThrough || date <= s.effectiveThrough);
  }

  // Which schedule release the amounts come from, and its period; when the code's release
  // date falls outside that period (the release in force is not loaded), it says so.
  function scheduleLine(s, c) {
    var name = SCHEDULE_NAMES[s.kind] || s.kind;
    return [
      h("p", { class: "schedule-line" }, period(s), h("span", { class: "sep", "aria-hidden": "true" }, " · "),
        name, " ", h("span", { class: "muted" }, "(" + s.name + ")")),
      inForce(s, c.statusDate) ? null : h("p", { class: "schedule-note" },
        "Not for release " + c.release.name + "'s date, ", formatDate(c.statusDate),
        ": no loaded " + name + " covers it, so this is the latest loaded, for ", period(s), "."),
    ];
  }

  function facts(rows) {
    return h("dl", { class: "fields" }, rows.filter(function (r) { return r[1] !== null; }).map(function (r) {
      return [h("dt", null, r[0]), h("dd", null, r[1])];
    }));
  }

  function drugPart(c, p) {
    var none = function (text) { return h("span", { class: "none" }, text); };
    var percent = function (text) { return text === null ? null : text + "%"; };
    return h("div", { class: "pay-part", "data-part": "asp" },
      h("h3", { id: "h-asp" }, "Drug payment limit (ASP)"),
      scheduleLine(p.schedule, c),
      facts([
        ["Payment limit", p.paymentLimit === null ? none("N/A in the file")
          : h("span", { class: "asp-limit" }, money(p.paymentLimit), " per ", h("span", { class: "dosage" }, p.dosage))],
        ["Co-insurance", percent(p.coinsurancePercent)],
        ["Vaccine AWP", percent(p.vaccineAwpPercent)],
        ["Vaccine limit", p.vaccineLimit === null ? null : money(p.vaccineLimit)],
        ["Blood AWP", percent(p.bloodAwpPercent)],
        ["Blood limit", p.bloodLimit === null ? null : money(p.bloodLimit)],
        ["Clotting factor", p.clottingFactor ? "Yes: a furnishing fee is paid besides the limit" : null],
        ["Notes", p.notes],
      ]));
  }

  // A table that scrolls inside its own box on a narrow screen, not the page; focusable, so
  // a keyboard can scroll it.
  function scrollTable(labelId, table) {
    return h("div", { class: "table-scroll", role: "region", "aria-labelledby": labelId, tabindex: "0" }, table);
  }

  function ndcPart(c, ndcs) {
    var rows = ndcs.map(function (n, i) {
      return h("tr", { hidden: i >= NDC_ROWS },
        h("td", null, h("a", { href: href("ndc", n.ndc) }, h("code", null, n.ndc))),
        h("td", null, n.labeler),
        h("td", null, n.drugName),
        h("td", { class: "num" }, n.packageQuantity + " × " + n.packageSize),
        h("td", { class: "num" }, n.billingUnitsPerPackage));
    });
    var table = h("table", { class: "data-table ndc-table" },
      h("thead", null, h("tr", null,
        h("th", { scope: "col" }, "NDC"),
        h("th", { scope: "col" }, "Labeler"),
        h("th", { scope: "col" }, "Drug"),
        h("th", { scope: "col", class: "num" }, "Package (count × size)"),
        h("th", { scope: "col", class: "num" }, "Billing units per package"))),
      h("tbody", { id: "ndc-rows" }, rows));
    var more = null;
    if (ndcs.length > NDC_ROWS) {
      // a toggle, so focus stays on it either way
      more = h("button", {
        type: "button", class: "button more", "aria-controls": "ndc-rows", "aria-expanded": "false",
        onclick: function () {
          var all = more.getAttribute("aria-expanded") !== "true";
          rows.forEach(function (r, i) { r.hidden = !all && i >= NDC_ROWS; });
          more.setAttribute("aria-expanded", all ? "true" : "false");
          more.textContent = all ? "Show the first " + NDC_ROWS : "Show all " + number.format(ndcs.length) + " NDCs";
          announce(plural(all ? ndcs.length : NDC_ROWS, "NDC", "NDCs") + " shown");
        },
      }, "Show all " + number.format(ndcs.length) + " NDCs");
    }
    return h("div", { class: "pay-part", "data-part": "ndc" },
      h("h3", { id: "h-ndc" }, "Drug packages (NDCs) billed as " + c.code, " ",
        h("span", { class: "muted ndc-count" }, "(" + number.format(ndcs.length) + ")")),
      scheduleLine(ndcs[0].schedule, c),
      scrollTable("h-ndc", table),
      more);
  }

  function stored(key) {
    try {
      return window.localStorage.getItem(key) || "";
    } catch (e) {
      return ""; // storage refused (private mode, a policy): nothing remembered
    }
  }

  function store(key, value) {
    try {
      if (value) window.localStorage.setItem(key, value);
      else window.localStorage.removeItem(key);
    } catch (e) {
      /* not remembered */
    }
  }

  // The DMEPOS and DMEPEN rows, one table per schedule release, with a state picker: no
  // state shows the national ceiling and floor; a state adds its non-rural and rural fees.
  function dmeposPart(c, fees) {
    var groups = [];
    var byName = {};
    var states = [];
    fees.forEach(function (f) {
      if (!byName[f.schedule.name]) {
        byName[f.schedule.name] = { schedule: f.schedule, rows: [] };
        groups.push(byName[f.schedule.name]);
      }
      byName[f.schedule.name].rows.push(f);
      f.stateFees.forEach(function (s) { if (states.indexOf(s.state) < 0) states.push(s.state); });
    });
    states.sort();
    var chosenState = stored(STATE_KEY);
    if (states.indexOf(chosenState) < 0) chosenState = "";
    var select = h("select", { id: "fee-state", class: "state-select", "aria-describedby": "fee-state-hint" },
      h("option", { value: "" }, "Choose a state"),
      states.map(function (s) { return h("option", { value: s }, s); }));
    select.value = chosenState;
    var tables = h("div", { class: "fee-tables" });

    function draw() {
      var state = select.value;
      tables.replaceChildren();
      groups.forEach(function (g, gi) {
        var labelId = "h-fees-" + gi;
        var national = g.rows.some(function (f) { return f.ceiling !== null; });
        // one category for every row (the usual case) is said once, above: a column of it
        // would push the state's fees off a phone's screen
        var categoryOf = function (f) { return f.category ? f.category.code : ""; };
        var oneCategory = g.rows.every(function (f) { return categoryOf(f) === categoryOf(g.rows[0]); });
        var categorised = !oneCategory;
        var head = [h("th", { scope: "col" }, "Modifiers")];
        if (categorised) head.push(h("th", { scope: "col" }, "Category"));
        if (national) head.push(h("th", { scope: "col", class: "num" }, "Ceiling"), h("th", { scope: "col", class: "num" }, "Floor"));
        if (state) head.push(h("th", { scope: "col", class: "num" }, state + " non-rural"), h("th", { scope: "col", class: "num" }, state + " rural"));
        var body = g.rows.map(function (f) {
          var cells = [h("th", { scope: "row" }, f.modifiers.length
            ? f.modifiers.map(function (m, i) { return [i ? " " : null, h("code", null, m)]; })
            : h("span", { class: "none" }, "none"))];
          if (categorised) {
            cells.push(h("td", null, f.category
              ? [h("code", null, f.category.code), " ", f.category.description] : null));
          }
          if (national) {
            // CMS writes 0 for both where an item is not priced by ceiling and floor
            var unpriced = f.ceiling === null || (isZero(f.ceiling) && isZero(f.floor));
            cells.push(h("td", { class: "num" }, unpriced ? h("span", { class: "none" }, "none") : money(f.ceiling)),
              h("td", { class: "num" }, unpriced ? h("span", { class: "none" }, "none") : money(f.floor)));
          }
          if (state) {
            var fee = f.stateFees.find(function (s) { return s.state === state; });
            cells.push(h("td", { class: "num fee-nonrural" }, fee ? money(fee.nonRural) : h("span", { class: "none" }, "none")),
              // DMEREAD: the rural column holds 0.00 where a code has no rural fee
              h("td", { class: "num fee-rural" }, !fee ? h("span", { class: "none" }, "none")
                : isZero(fee.rural) ? h("span", { class: "none", "data-amount": fee.rural }, "none") : money(fee.rural)));
          }
          return h("tr", { "data-modifiers": f.modifiers.join(" ") }, cells);
        });
        var jurisdiction = g.rows[0].jurisdiction;
        tables.appendChild(h("div", { class: "fee-group", "data-schedule": g.schedule.name },
          h("h4", { id: labelId }, SCHEDULE_NAMES[g.schedule.kind] || g.schedule.kind),
          scheduleLine(g.schedule, c),
          jurisdiction ? h("p", { class: "schedule-line" }, "Jurisdiction ", h("code", null, jurisdiction.code), " ", jurisdiction.description) : null,
          oneCategory && g.rows[0].category
            ? h("p", { class: "schedule-line" }, "Category ", h("code", null, g.rows[0].category.code), " ", g.rows[0].category.description)
            : null,
          scrollTable(labelId, h("table", { class: "data-table fee-table" },
            h("thead", null, h("tr", null, head)), h("tbody", null, body)))));
      });
    }

    select.addEventListener("change", function () {
      store(STATE_KEY, select.value);
      draw();
    });
    draw();
    return h("div", { class: "pay-part", "data-part": "dmepos" },
      h("h3", { id: "h-fees" }, "Fee schedule amounts"),
      h("div", { class: "state-picker" },
        h("label", { for: "fee-state" }, "State"),
        select,
        h("span", { id: "fee-state-hint", class: "muted" }, "Pick a state to see its non-rural and rural fees; without one, the national ceiling and floor.")),
      tables);
  }

  // ------------------------------------- physician, lab, ASC and OPPS (issue 19)

  var PAYABLE = { A: true, R: true, T: true }; // the PFS statuses whose RVUs Medicare pays with
  var localityLists = {}; // PFS release name -> its localities (a promise), read once a page

  function localitiesOf(name) {
    if (!localityLists[name]) {
      localityLists[name] = gql(Q_LOCALITIES, { schedule: name }).then(function (d) {
        return d.localities;
      }, function (error) {
        delete localityLists[name]; // asked again next time
        throw error;
      });
    }
    return localityLists[name];
  }

  // "Active Code." of CMS's paragraph on status A: the rest is in the legend below the table.
  function firstSentence(text) {
    var m = /^(.*?\.)(\s|$)/.exec(text || "");
    return m ? m[1] : text || "";
  }

  function none(text) {
    return h("span", { class: "none" }, text);
  }

  function decoded(v) {
    return v ? [h("code", null, v.code), " ", v.description || none("(not in CMS's documentation)")] : null;
  }

  // The PFS rows (none, 26, TC, 53): status, total RVUs, global days; with a locality chosen,
  // its non-facility and facility amounts, computed by the server from that locality's GPCIs.
  function pfsPart(c, rows) {
    var schedule = rows[0].schedule;
    var payable = rows.some(function (r) { return PAYABLE[r.status.code]; });
    var signal = current && current.signal;
    var amounts = null; // modifier ("" for none) -> its payment at the chosen locality
    var head = h("thead");
    var body = h("tbody");
    var where = h("p", { class: "schedule-line pfs-where", "aria-live": "polite" });
    var why = h("p", { class: "schedule-line pfs-why" });
    var num = { scope: "col", class: "num" };

    function amountCell(row, payment, field, cls) {
      if (!payment) {
        return h("td", { class: "num " + cls }, none("not paid (status " + row.status.code + ")"));
      }
      if (payment[field] === null) return h("td", { class: "num " + cls }, none("not applicable"));
      return h("td", { class: "num " + cls }, money(payment[field]));
    }

    function draw() {
      var cols = [h("th", { scope: "col" }, "Modifier"), h("th", { scope: "col" }, "Status"),
        h("th", num, "Total RVUs, non-facility"), h("th", num, "Total RVUs, facility"),
        h("th", { scope: "col" }, "Global days")];
      if (amounts) cols.push(h("th", num, "Non-facility amount"), h("th", num, "Facility amount"));
      head.replaceChildren(h("tr", null, cols));
      var notApplicable = false;
      body.replaceChildren.apply(body, rows.map(function (r) {
        var cells = [
          h("th", { scope: "row" }, r.modifier ? h("code", null, r.modifier) : none("none")),
          h("td", { class: "pfs-status" }, h("code", null, r.status.code), " ", firstSentence(r.status.description)),
          h("td", { class: "num" }, r.nonFacilityTotal),
          h("td", { class: "num" }, r.facilityTotal),
          h("td", null, h("code", null, r.globalDays.code)),
        ];
        if (amounts) {
          var p = amounts[r.modifier || ""];
          if (p && (p.nonFacility === null || p.facility === null)) notApplicable = true;
          cells.push(amountCell(r, p, "nonFacility", "pfs-nonfacility"), amountCell(r, p, "facility", "pfs-facility"));
        }
        return h("tr", { "data-modifier": r.modifier || "" }, cells);
      }));
      why.hidden = !notApplicable;
      why.textContent = notApplicable
        ? "Not applicable: CMS's file marks the service as rarely or never performed in that setting " +
          "(its NA indicator), so it has no practice expense RVUs there and no amount."
        : "";
    }

    var picker = null;
    if (payable) {
      var select = h("select", {
        id: "pfs-locality", class: "state-select locality-select", "aria-describedby": "pfs-locality-hint", disabled: true,
      }, h("option", { value: "" }, "Loading localities…"));
      var byId = {};
      var asked = 0;
      var choose = function (id) {
        var ask = ++asked;
        if (!id) {
          amounts = null;
          where.replaceChildren();
          draw();
          return;
        }
        var place = byId[id];
        where.replaceChildren("Computing the amounts at ", place.name, "…");
        gql(Q_PFS_PAYMENT, { code: c.code, release: c.release.name, locality: id }, signal).then(function (d) {
          if (ask !== asked) return; // another locality was chosen since
          amounts = {};
          d.hcpcsCode.physicianFeeSchedule.forEach(function (r) { amounts[r.modifier || ""] = r.payment; });
          where.replaceChildren("Amounts at locality ", h("code", null, place.id), " ", place.name, " (", place.state, ")",
            place.counties ? ", counties: " + place.counties : null,
            "; before any adjustment (multiple procedure, bilateral, coinsurance).");
          draw();
        }, function (error) {
          if (ask !== asked || error.name === "AbortError") return;
          where.replaceChildren(error.message);
        });
      };
      // Chromium fires `change` on each arrow key of a closed select: the amounts are asked
      // once the choice rests, one request however many localities were passed over
      var resting = null;
      select.addEventListener("change", function () {
        store(LOCALITY_KEY, select.value);
        window.clearTimeout(resting);
        resting = window.setTimeout(function () { choose(select.value); }, DEBOUNCE_MS);
      });
      localitiesOf(schedule.name).then(function (list) {
        if (signal && signal.aborted) return;
        var groups = [];
        list.forEach(function (l) {
          byId[l.id] = l;
          var last = groups[groups.length - 1];
          if (!last || last.state !== l.state) groups.push(last = { state: l.state, items: [] });
          last.items.push(l);
        });
        select.replaceChildren();
        append(select, [h("option", { value: "" }, "Choose a locality"),
          groups.map(function (g) {
            return h("optgroup", { label: g.state }, g.items.map(function (l) {
              return h("option", { value: l.id }, l.name + " (" + l.id + ")");
            }));
          })]);
        select.disabled = false;
        var kept = stored(LOCALITY_KEY);
        if (byId[kept]) {
          select.value = kept;
          choose(kept);
        }
      }, function (error) {
        if (error.name === "AbortError") return;
        select.replaceChildren(h("option", { value: "" }, "No localities: " + error.message));
      });
      picker = h("div", { class: "state-picker" },
        h("label", { for: "pfs-locality" }, "Locality"),
        select,
        h("span", { id: "pfs-locality-hint", class: "muted" },
          "Pick a payment locality to see the fee schedule amounts there, in an office (non-facility) and in a facility."));
    }

    draw();
    var legend = [];
    var seen = {};
    rows.forEach(function (r) {
      if (!seen["s" + r.status.code]) legend.push(["Status " + r.status.code, r.status.description]);
      if (!seen["g" + r.globalDays.code]) {
        legend.push(["Global days " + r.globalDays.code, r.globalDays.description || none("(not in CMS's documentation)")]);
      }
      seen["s" + r.status.code] = seen["g" + r.globalDays.code] = true;
    });
    return h("div", { class: "pay-part", "data-part": "pfs" },
      h("h3", { id: "h-pfs" }, "Physician fee schedule"),
      scheduleLine(schedule, c),
      h("p", { class: "schedule-line" }, "Conversion factor ",
        h("span", { class: "pfs-cf" }, money(rows[0].conversionFactor)), " per RVU"),
      picker || h("p", { class: "schedule-line" },
        "No amounts: no row has a status whose RVUs Medicare pays with (A, R or T)."),
      where,
      scrollTable("h-pfs", h("table", { class: "data-table pfs-table" }, head, body)),
      why,
      facts(legend));
  }

  function labPart(c, fees) {
    return h("div", { class: "pay-part", "data-part": "lab" },
      h("h3", { id: "h-lab" }, "Clinical laboratory fee"),
      scheduleLine(fees[0].schedule, c),
      scrollTable("h-lab", h("table", { class: "data-table lab-table" },
        h("thead", null, h("tr", null,
          h("th", { scope: "col" }, "Modifier"),
          h("th", { scope: "col", class: "num" }, "Rate"),
          h("th", { scope: "col" }, "Pricing"),
          h("th", { scope: "col" }, "Effective"))),
        h("tbody", null, fees.map(function (f) {
          return h("tr", { "data-modifier": f.modifier || "" },
            h("th", { scope: "row" }, f.modifier ? h("code", null, f.modifier) : none("none")),
            // a rate of 0 with indicator L: priced locally, not free
            h("td", { class: "num lab-rate" },
              isZero(f.rate) ? none("priced locally") : money(f.rate)),
            h("td", null, decoded(f.indicator)),
            h("td", null, formatDate(f.effectiveDate)));
        })))));
  }

  var ADDENDA = {
    AA: "Addendum AA: covered surgical procedures",
    BB: "Addendum BB: covered ancillary items and services",
  };

  function ascPart(c, a) {
    var yesNo = a.subjectToMultipleProcedureDiscounting;
    return h("div", { class: "pay-part", "data-part": "asc" },
      h("h3", { id: "h-asc" }, "Ambulatory surgical center (ASC)"),
      scheduleLine(a.schedule, c),
      facts([
        ["National payment rate", a.paymentRate === null ? none("none in the addendum")
          : h("span", { class: "asc-rate" }, money(a.paymentRate))],
        ["Payment indicator", decoded(a.paymentIndicator)],
        ["Payment weight", a.paymentWeight === null ? none("none in the addendum") : a.paymentWeight],
        ["Multiple procedure discounting", yesNo === null ? null
          : yesNo ? "Yes: paid at 50% when not the highest-paid procedure of the same session" : "No"],
        ["Pass-through expires", a.passThroughExpiration],
        ["Copayment adjusted (IRA)", a.adjustedCopayment === null ? null : money(a.adjustedCopayment)],
        ["Listed in", ADDENDA[a.addendum] || a.addendum],
      ]));
  }

  function oppsPart(c, o) {
    var amount = function (text, cls) {
      return text === null ? none("none in Addendum B") : h("span", { class: cls || null }, money(text));
    };
    return h("div", { class: "pay-part", "data-part": "opps" },
      h("h3", { id: "h-opps" }, "Hospital outpatient (OPPS)"),
      scheduleLine(o.schedule, c),
      facts([
        ["Payment rate", amount(o.paymentRate, "opps-rate")],
        ["Status indicator", decoded(o.statusIndicator)],
        ["APC", o.apc ? h("code", { class: "opps-apc" }, o.apc.code) : none("none")],
        ["Relative weight", o.relativeWeight === null ? none("none in Addendum B") : o.relativeWeight],
        ["National unadjusted copayment", amount(o.nationalUnadjustedCopayment)],
        ["Minimum unadjusted copayment", amount(o.minimumUnadjustedCopayment)],
        ["Changed", o.changed ? "Yes: Addendum B marks this row as changed since the previous release" : null],
      ]));
  }

  // Shown only when a schedule prices the code.
  function paymentPanel(c) {
    var pfs = c.physicianFeeSchedule || [];
    var lab = c.labFees || [];
    if (!c.drugPricing && !(c.ndcs && c.ndcs.length) && !(c.dmeposFees && c.dmeposFees.length) &&
        !pfs.length && !lab.length && !c.ascPayment && !c.outpatientPayment) return null;
    return h("section", { class: "panel payments", "aria-labelledby": "h-medicare" },
      h("h2", { id: "h-medicare" }, "What Medicare pays"),
      c.drugPricing ? drugPart(c, c.drugPricing) : null,
      c.ndcs.length ? ndcPart(c, c.ndcs) : null,
      c.dmeposFees.length ? dmeposPart(c, c.dmeposFees) : null,
      pfs.length ? pfsPart(c, pfs) : null,
      lab.length ? labPart(c, lab) : null,
      c.ascPayment ? ascPart(c, c.ascPayment) : null,
      c.outpatientPayment ? oppsPart(c, c.outpatientPayment) : null);
  }

  // One code (kind "code") or modifier (kind "modifier"), every field decoded, and its history.
  function viewRecord(kind, signal) {
    var code = route.arg.trim().toUpperCase();
    var noun = kind === "modifier" ? "modifier" : "code";
    var title = kind === "modifier" ? "Modifier" : "HCPCS code";
    return Promise.all([
      gql(recordQuery(kind), { code: code, release: release() }, signal),
      meanings(),
    ]).then(function (answers) {
      var c = answers[0].record;
      var known = answers[1];
      if (!c) {
        show(h("div", { class: "notice" },
          eyebrow(title),
          h("h1", null, "No " + noun + " ", h("code", null, code), " in release ", release()),
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
            same ? null : "In release " + x.target.release.name, x.target));
        }))
        : h("span", { class: "none" }, "None");
      var referenced = !c.referencedBy ? null : c.referencedBy.length
        ? h("ul", { class: "values" }, c.referencedBy.map(function (x) {
          return h("li", null, codeLink(x.code, x.shortDescription, href("code", x.code), null, x));
        }))
        : h("span", { class: "none" }, "None");
      var other = optionalRows([
        ["ascPaymentGroup", c.ascPaymentGroup ? valueLink("asc", c.ascPaymentGroup) : null],
        ["ascEffectiveDate", formatDate(c.ascEffectiveDate)],
        ["mogPaymentGroup", c.mogPaymentGroup ? valueLink("mog", c.mogPaymentGroup) : null],
        ["mogPaymentPolicyIndicator", c.mogPaymentPolicyIndicator ? valueLink("mog-policy", c.mogPaymentPolicyIndicator) : null],
        ["mogEffectiveDate", formatDate(c.mogEffectiveDate)],
        ["cimReferences", c.cimReferences],
        ["mcmReferences", c.mcmReferences],
        ["statute", c.statute],
      ], known);
      var none = function (text) { return h("span", { class: "none" }, text); };

      show([
        h("header", { class: "page-head" },
          eyebrow(title),
          h("h1", { class: "code-title" }, h("code", { class: "big-code" }, c.code), h("span", null, c.shortDescription)),
          c.longDescription !== c.shortDescription ? h("p", { class: "long-description" }, c.longDescription) : null,
          h("p", { class: "badges" },
            c.status === "TERMINATED"
              ? h("span", { class: "badge badge-terminated" }, "Terminated ", formatDate(c.terminationDate))
              : h("span", { class: "badge badge-" + c.status.toLowerCase() }, statusText),
            h("span", { class: "muted" }, " status as of ", formatDate(c.statusDate)))),
        kind === "code" ? paymentPanel(c) : null,
        h("div", { class: "grid" },
          h("section", { class: "panel", "aria-labelledby": "h-pay" },
            h("h2", { id: "h-pay" }, "Payment and coverage"),
            h("dl", { class: "fields" },
              row("pricingIndicators", pricing, known, "with fee schedule"),
              row("multiplePricingIndicator", valueLink("multiple-pricing", c.multiplePricingIndicator), known),
              row("coverage", valueLink("coverage", c.coverage), known))),
          h("section", { class: "panel", "aria-labelledby": "h-class" },
            h("h2", { id: "h-class" }, "Classification"),
            h("dl", { class: "fields" },
              row("betos", betos, known),
              row("typesOfService", values("tos", c.typesOfService), known),
              row("labCertifications", values("lab", c.labCertifications), known),
              row("anesthesiaBaseUnits", c.anesthesiaBaseUnits === null ? none("None") : String(c.anesthesiaBaseUnits), known))),
          h("section", { class: "panel", "aria-labelledby": "h-dates" },
            h("h2", { id: "h-dates" }, "Dates and change"),
            h("dl", { class: "fields" },
              row("action", valueLink("action", c.action), known),
              row("actionEffectiveDate", formatDate(c.actionEffectiveDate) || none("None"), known),
              row("addedDate", formatDate(c.addedDate) || none("None"), known),
              row("terminationDate", formatDate(c.terminationDate) || none("Not terminated"), known),
              row("release", h("span", null, c.release.name, h("span", { class: "muted" }, ", effective "), formatDate(c.release.effectiveDate)), known))),
          h("section", { class: "panel", "aria-labelledby": "h-notes" },
            h("h2", { id: "h-notes" }, "Notes and references"),
            h("dl", { class: "fields" },
              row("processingNote", note, known),
              row("crossReferences", xrefs, known),
              referenced ? row("referencedBy", referenced, known) : null,
              other))),
        timeline(kind, c),
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
        return gql(valueQuery(kind, "codes"), Object.assign({}, vars, { after: after })).then(function (d) { return d.value.list; });
      };
      var modifierPage = function (after) {
        return gql(valueQuery(kind, "modifiers"), Object.assign({}, vars, { after: after })).then(function (d) { return d.value.list; });
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
        v.modifiers.totalCount
          ? pagedCodes("Modifiers with this " + spec.noun, v.modifiers, modifierPage, "modifier")
          : null,
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

  // The crosswalk rows of an NDC typed in any form people type; the server reads the form,
  // and refuses 10 digits without hyphens as ambiguous: its message is shown as it is.
  function viewNdc(signal) {
    var text = route.arg.trim();
    var input = document.getElementById("search");
    // the crosswalk is not a HCPCS release's: the eyebrow names no release
    var head = h("p", { class: "eyebrow" }, "NDC");
    return gql(Q_NDC, { ndc: text }, signal).then(function (data) {
      if (document.activeElement !== input) input.value = text;
      var rows = data.ndc;
      show([
        h("header", { class: "page-head" }, head,
          h("h1", null, "HCPCS codes for NDC “", text, "”"),
          rows.length ? h("p", { class: "lead" }, rows[0].drugName, ", ", rows[0].labeler) : null),
        h("section", { class: "panel", "aria-labelledby": "ndc-heading" },
          h("div", { class: "panel-head" }, h("h2", { id: "ndc-heading" }, "Billed as"),
            h("p", { class: "count" }, h("strong", { class: "total-count" }, number.format(rows.length)),
              " " + (rows.length === 1 ? "code" : "codes"))),
          rows.length ? scheduleSource(rows[0].schedule) : null,
          rows.length
            ? h("ol", { class: "code-list", "aria-label": "Crosswalk rows for this NDC" }, rows.map(function (r) {
              var node = r.code || { status: null };
              return h("li", null, h("a", { href: href("code", r.hcpcsCode) },
                h("code", { class: "row-code" }, r.hcpcsCode),
                h("span", { class: "row-kind" }, "NDC"),
                h("span", { class: "row-text" }, h("code", null, r.ndc), " ", r.drugName, ": ",
                  r.billingUnitsPerPackage, r.billingUnitsPerPackage === "1" ? " billing unit" : " billing units",
                  " per package; ", r.shortDescription),
                endedMark(node)));
            }))
            : h("p", { class: "muted" }, "No HCPCS code in the loaded crosswalk bills this NDC.")),
      ], "NDC " + text, true);
    }, function (error) {
      if (signal.aborted || error.name !== "ApiError") throw error;
      if (document.activeElement !== input) input.value = text;
      show(h("div", { class: "notice notice-error", role: "alert" }, head,
        h("h1", null, "Not an NDC the crosswalk can look up: “", text, "”"),
        h("p", { class: "ndc-error" }, error.message)), "NDC " + text, true);
    });
  }

  // The crosswalk a list comes from, for a view with no code's release to compare with.
  function scheduleSource(s) {
    return h("p", { class: "schedule-line" }, "From the ", SCHEDULE_NAMES[s.kind] || s.kind, " for ", period(s),
      " ", h("span", { class: "muted" }, "(" + s.name + ")"));
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

  // ------------------------------------------------------------ check a claim (issue 20)
  //
  // #claim: a form of claim lines, typed a row at a time or pasted as text; checking them
  // sends one checkClaimLines query (by POST: 500 lines do not fit a URL) and goes to
  // #claim/<the lines as text>, so that a check can be linked, and Back returns to it. Lines
  // being typed are kept in sessionStorage, by history entry, and as the session's last.
  //
  // The text format, one claim line a line, its fields separated by commas, or by tabs (as
  // a spreadsheet copies them): code, modifiers (separated by spaces), date of service
  // (YYYY-MM-DD), units, NDC, NDC units, state, locality, setting (PROFESSIONAL,
  // OUTPATIENT_HOSPITAL or ASC). Empty fields are left out of the line, and so may trailing
  // ones; blank lines and a first line of column names ("code, ...") are skipped.

  var CLAIM_FIELDS = [
    { name: "code", label: "Code", width: "code", placeholder: "J9035" },
    { name: "modifiers", label: "Modifiers", width: "mods", placeholder: "NU KX" },
    { name: "dateOfService", label: "Date of service", width: "date", placeholder: "YYYY-MM-DD" },
    { name: "units", label: "Units", width: "num", mode: "decimal" },
    { name: "ndc", label: "NDC", width: "ndc", placeholder: "50242-0060-01" },
    { name: "ndcUnits", label: "NDC units", width: "num", mode: "decimal" },
    { name: "state", label: "State", width: "state", placeholder: "NY" },
    { name: "locality", label: "Locality", width: "loc", placeholder: "13202-01" },
    { name: "setting", label: "Setting", width: "setting" },
  ];
  var SETTINGS = [
    ["PROFESSIONAL", "Professional"],
    ["OUTPATIENT_HOSPITAL", "Outpatient hospital"],
    ["ASC", "ASC"],
  ];
  var SETTING_WORDS = { OFFICE: "PROFESSIONAL", OUTPATIENT: "OUTPATIENT_HOSPITAL", HOPD: "OUTPATIENT_HOSPITAL" };
  var MAX_LINES = 500;
  var CLAIM_EXAMPLE = "J9035, , 2025-11-03, , 50242-0060-01, 1\nE0100, NU, 2025-11-03, , , , NY";
  var CLAIM_DRAFT = "hcpcs-lookup.claim."; // + a history entry's number: its lines as typed
  var CLAIM_LAST = "hcpcs-lookup.claim-last"; // the lines last typed in this tab

  var Q_CLAIM =
    "query CheckClaim($lines: [ClaimLineInput!]!) { checkClaimLines(lines: $lines) {" +
    " line verdict code { code shortDescription status terminationDate release { name } }" +
    " findings { rule severity message source codes" +
    "  links { code shortDescription status terminationDate release { name } } }" +
    " allowed { amount perUnit units basis detail schedule { name kind effectiveFrom effectiveThrough } } } }";

  var VERDICTS = {
    OK: { text: "OK", mark: "✓" },
    WARNING: { text: "Warning", mark: "!" },
    ERROR: { text: "Error", mark: "✕" },
  };
  var SEVERITIES = {
    ERROR: { text: "Error", mark: "✕" },
    WARNING: { text: "Warning", mark: "!" },
    INFO: { text: "Info", mark: "i" },
  };
  var BASES = {
    ASP_LIMIT: "ASP payment limit",
    DMEPOS_FEE: "DMEPOS fee",
    PHYSICIAN_FEE: "Physician fee schedule",
  };

  function session(key, value) {
    try {
      if (value === undefined) return window.sessionStorage.getItem(key);
      if (value === null) window.sessionStorage.removeItem(key);
      else window.sessionStorage.setItem(key, value);
    } catch (e) {
      /* storage refused: nothing kept */
    }
    return null;
  }

  function emptyLine() {
    var line = {};
    CLAIM_FIELDS.forEach(function (f) { line[f.name] = ""; });
    return line;
  }

  function isEmptyLine(line) {
    return CLAIM_FIELDS.every(function (f) { return !String(line[f.name] || "").trim(); });
  }

  function settingOf(text) {
    var word = text.trim().toUpperCase().replace(/[\s-]+/g, "_");
    if (!word) return "";
    if (SETTING_WORDS[word]) return SETTING_WORDS[word];
    return SETTINGS.some(function (s) { return s[0] === word; }) ? word : null;
  }

  // The text format read into lines: {lines} or {error} naming the line of the text.
  function parseClaimText(text) {
    var lines = [];
    var rows = text.split(/\r\n|\r|\n/);
    for (var i = 0; i < rows.length; i++) {
      var raw = rows[i];
      if (!raw.trim()) continue;
      var fields = (raw.indexOf("\t") >= 0 ? raw.split("\t") : raw.split(",")).map(function (f) { return f.trim(); });
      if (!lines.length && /^code$/i.test(fields[0])) continue; // column names
      var where = "Line " + (i + 1) + " of the text";
      if (fields.length > CLAIM_FIELDS.length) {
        return { error: where + " has " + fields.length + " fields; a line has at most " + CLAIM_FIELDS.length +
          " (" + CLAIM_FIELDS.map(function (f) { return f.label.toLowerCase(); }).join(", ") + ")." };
      }
      var line = emptyLine();
      CLAIM_FIELDS.forEach(function (f, j) { line[f.name] = fields[j] || ""; });
      var setting = settingOf(line.setting);
      if (setting === null) {
        return { error: where + ": the setting “" + line.setting + "” is none of " +
          SETTINGS.map(function (s) { return s[0]; }).join(", ") + "." };
      }
      line.setting = setting;
      lines.push(line);
      if (lines.length > MAX_LINES) return { error: "A claim has at most " + MAX_LINES + " lines; the text has more." };
    }
    return { lines: lines };
  }

  // Lines as the text format (the address of a check, and what is kept while typing).
  function claimText(lines) {
    return lines.map(function (line) {
      var fields = CLAIM_FIELDS.map(function (f) {
        var value = String(line[f.name] || "").trim();
        return f.name === "modifiers" ? value.split(/[\s,;+]+/).filter(Boolean).join(" ") : value;
      });
      while (fields.length && !fields[fields.length - 1]) fields.pop();
      return fields.join(",");
    }).join("\n");
  }

  // One line as the API takes it: what is empty is left out.
  function claimInput(line) {
    var input = {
      code: line.code.trim().toUpperCase(),
      dateOfService: line.dateOfService.trim() || null,
      modifiers: line.modifiers.split(/[\s,;+]+/).filter(Boolean).map(function (m) { return m.toUpperCase(); }),
    };
    [["units"], ["ndc"], ["ndcUnits"], ["state", true], ["locality"]].forEach(function (f) {
      var value = String(line[f[0]] || "").trim();
      if (value) input[f[0]] = f[1] ? value.toUpperCase() : value;
    });
    if (line.setting) input.setting = line.setting;
    return input;
  }

  function claimHref(lines) {
    var path = "#claim/" + encodeURIComponent(claimText(lines)).replace(/%2C/g, ",");
    return chosen() ? path + "?release=" + encodeURIComponent(chosen()) : path;
  }

  var rowCount = 0;

  // The form: a fieldset per line, a box for pasted text, and the server's refusal beside it.
  function claimForm(lines) {
    var rowsEl = h("div", { class: "claim-rows" });
    var problem = h("div", { id: "claim-problem", class: "notice notice-error claim-problem", role: "alert", tabindex: "-1", hidden: true });
    var textProblem = h("p", { id: "claim-text-problem", class: "claim-text-problem", role: "alert", hidden: true });
    var textarea = h("textarea", {
      id: "claim-text", rows: "6", spellcheck: "false", autocapitalize: "characters",
      "aria-describedby": "claim-text-hint claim-text-example claim-text-problem",
    });
    var count = h("span", { class: "claim-count" });

    function rowsNow() {
      return Array.prototype.map.call(rowsEl.children, function (fieldset) {
        var line = emptyLine();
        CLAIM_FIELDS.forEach(function (f) { line[f.name] = fieldset.querySelector("[data-field=" + f.name + "]").value; });
        return line;
      });
    }

    // kept as typed: for this history entry (Back) and as the tab's last lines
    function keep() {
      var text = claimText(rowsNow().filter(function (l) { return !isEmptyLine(l); }));
      if (entryOf()) session(CLAIM_DRAFT + entryOf(), text);
      session(CLAIM_LAST, text);
    }

    function renumber() {
      Array.prototype.forEach.call(rowsEl.children, function (fieldset, i) {
        fieldset.querySelector("legend").textContent = "Line " + (i + 1);
        fieldset.querySelector(".claim-remove").setAttribute("aria-label", "Remove line " + (i + 1));
      });
      var n = rowsEl.children.length;
      count.textContent = plural(n, "line", "lines");
    }

    function clearProblems() {
      problem.hidden = true;
      problem.replaceChildren();
      rowsEl.querySelectorAll("[aria-invalid]").forEach(function (el) {
        el.removeAttribute("aria-invalid");
        el.removeAttribute("aria-errormessage");
      });
    }

    function rowEl(line) {
      var id = "claim-" + (++rowCount);
      var fieldset = h("fieldset", { class: "claim-row" }, h("legend", null, "Line"));
      var grid = h("div", { class: "claim-fields" });
      CLAIM_FIELDS.forEach(function (f) {
        var inputId = id + "-" + f.name;
        var control;
        if (f.name === "setting") {
          control = h("select", { id: inputId, "data-field": f.name },
            h("option", { value: "" }, SETTINGS[0][1]),
            SETTINGS.slice(1).map(function (s) { return h("option", { value: s[0] }, s[1]); }));
          control.value = line.setting === "PROFESSIONAL" ? "" : line.setting || "";
        } else {
          control = h("input", {
            id: inputId, type: "text", "data-field": f.name, value: line[f.name] || "",
            placeholder: f.placeholder || null, inputmode: f.mode || null,
            autocomplete: "off", spellcheck: "false",
            autocapitalize: f.name === "dateOfService" ? "off" : "characters",
          });
        }
        grid.appendChild(h("div", { class: "claim-field claim-field-" + f.width },
          h("label", { for: inputId }, f.label), control));
      });
      grid.appendChild(h("div", { class: "claim-field claim-field-remove" },
        h("button", {
          type: "button", class: "button claim-remove",
          onclick: function () {
            var next = fieldset.nextElementSibling || fieldset.previousElementSibling;
            fieldset.remove();
            if (!rowsEl.children.length) {
              rowsEl.appendChild(rowEl(emptyLine()));
              next = rowsEl.firstElementChild;
            }
            renumber();
            keep();
            if (next) next.querySelector("[data-field=code]").focus();
            announce("Line removed; " + plural(rowsEl.children.length, "line", "lines"));
          },
        }, "Remove")));
      fieldset.appendChild(grid);
      return fieldset;
    }

    function fill(newLines) {
      rowsEl.replaceChildren();
      (newLines.length ? newLines : [emptyLine()]).forEach(function (l) { rowsEl.appendChild(rowEl(l)); });
      renumber();
    }

    // Sends the lines: the form's, empty ones dropped (so that the server's line numbers
    // are the form's), as a new history entry; the same lines again are checked again.
    function check() {
      clearProblems();
      var lines = rowsNow().filter(function (l) { return !isEmptyLine(l); });
      if (!lines.length) {
        showProblem("Type a line first: a code and its date of service at least.");
        problem.focus();
        return;
      }
      if (lines.length > MAX_LINES) {
        showProblem("A claim has at most " + MAX_LINES + " lines; there are " + lines.length + ".");
        problem.focus();
        return;
      }
      fill(lines);
      keep();
      // what every line needs, said before anything is sent
      for (var i = 0; i < lines.length; i++) {
        var missing = !lines[i].code.trim() ? "code" : !lines[i].dateOfService.trim() ? "dateOfService" : null;
        if (missing) {
          var at = showProblem("Line " + (i + 1) + " has no " + (missing === "code" ? "code" : "date of service (YYYY-MM-DD)") +
            ": a line needs a code and its date of service.", i, missing);
          if (at) at.focus();
          return;
        }
      }
      var target = claimHref(lines);
      if (window.location.hash === target) render();
      else window.location.hash = target;
    }

    // A refusal, next to the form: the server's (its message names the line and field:
    // "line 2 (lines[1].ndc): ..." from the resolver, "... at [1].dateOfService ..." from the
    // variables' types) or the form's own (index and field given). The field is marked.
    function showProblem(message, index, name) {
      problem.replaceChildren(h("h2", null, "The lines were not checked"), h("p", { class: "claim-problem-text" }, message));
      problem.hidden = false;
      if (index === undefined) {
        var m = /lines\[(\d+)\]\.(\w+)/.exec(message) || /at \[(\d+)\]\.(\w+)/.exec(message);
        if (!m) return null;
        index = Number(m[1]);
        name = m[2];
        var spec = CLAIM_FIELDS.find(function (f) { return f.name === name; });
        if (!/^line \d+/i.test(message)) {
          problem.querySelector(".claim-problem-text").prepend("Line " + (index + 1) +
            (spec ? ", " + spec.label.toLowerCase() : "") + ": ");
        }
      }
      var fieldset = rowsEl.children[index];
      var field = fieldset && fieldset.querySelector("[data-field=" + name + "]");
      if (field) {
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-errormessage", "claim-problem");
      }
      return field;
    }

    var form = h("form", {
      class: "panel claim-form", "aria-labelledby": "claim-form-heading", novalidate: true,
      onsubmit: function (event) {
        event.preventDefault();
        check();
      },
      oninput: function (event) {
        if (event.target !== textarea) keep();
      },
      onchange: function (event) {
        if (event.target !== textarea) keep();
      },
    },
    h("div", { class: "panel-head" }, h("h2", { id: "claim-form-heading" }, "Lines"), h("p", { class: "count" }, count)),
    h("p", { class: "muted claim-hint" }, "A code and its date of service (YYYY-MM-DD) at least; modifiers separated by spaces. " +
      "Units default to what the NDC units make, else 1; the state prices DMEPOS items, the locality (e.g. 13202-01) physician services."),
    problem,
    rowsEl,
    h("div", { class: "claim-actions" },
      h("button", {
        type: "button", class: "button",
        onclick: function () {
          if (rowsEl.children.length >= MAX_LINES) {
            announce("A claim has at most " + MAX_LINES + " lines");
            return;
          }
          var fieldset = rowEl(emptyLine());
          rowsEl.appendChild(fieldset);
          renumber();
          fieldset.querySelector("[data-field=code]").focus();
          announce("Line " + rowsEl.children.length + " added");
        },
      }, "Add a line"),
      h("button", {
        type: "button", class: "button",
        onclick: function () {
          clearProblems();
          fill([]);
          keep();
          rowsEl.querySelector("[data-field=code]").focus();
          announce("Every line cleared");
        },
      }, "Clear all"),
      h("button", { type: "submit", class: "button button-primary" }, "Check the claim")),
    h("details", { class: "claim-paste" },
      h("summary", null, "Paste lines as text"),
      h("label", { for: "claim-text" }, "Lines as text"),
      h("p", { id: "claim-text-hint", class: "muted claim-hint" },
        "One claim line per line, its fields separated by commas or tabs (as copied from a spreadsheet), in this order: " +
        "code, modifiers (separated by spaces), date of service, units, NDC, NDC units, state, locality, setting " +
        "(PROFESSIONAL, OUTPATIENT_HOSPITAL or ASC). Leave a field empty to skip it; trailing ones may be left off."),
      h("p", { id: "claim-text-example", class: "claim-example" }, "For example: ",
        h("code", null, CLAIM_EXAMPLE.split("\n")[0]), " and ", h("code", null, CLAIM_EXAMPLE.split("\n")[1])),
      textarea,
      textProblem,
      h("div", { class: "claim-actions" },
        h("button", {
          type: "button", class: "button",
          onclick: function () {
            textProblem.hidden = true;
            textarea.removeAttribute("aria-invalid");
            var read = parseClaimText(textarea.value);
            if (!read.error && !read.lines.length) read.error = "There is no line in the text.";
            if (read.error) {
              textProblem.textContent = read.error;
              textProblem.hidden = false;
              textarea.setAttribute("aria-invalid", "true");
              textarea.focus();
              return;
            }
            clearProblems();
            fill(read.lines);
            keep();
            check();
          },
        }, "Check the pasted lines"))));

    fill(lines);
    form.showProblem = showProblem;
    return form;
  }

  function verdictBadge(verdict) {
    var v = VERDICTS[verdict] || { text: verdict, mark: "" };
    return h("span", { class: "verdict verdict-" + verdict.toLowerCase() },
      h("span", { class: "verdict-mark", "aria-hidden": "true" }, v.mark), " ", v.text);
  }

  function severityBadge(severity) {
    var v = SEVERITIES[severity] || { text: severity, mark: "" };
    return h("span", { class: "severity severity-" + severity.toLowerCase() },
      h("span", { class: "verdict-mark", "aria-hidden": "true" }, v.mark), " ", v.text);
  }

  // What the line was sent with, in words: "J9035 · 2025-11-03 · NDC 50242-0060-01 × 1".
  function lineSummary(input) {
    var parts = [];
    if (input.modifiers.length) parts.push("modifiers " + input.modifiers.join(" "));
    parts.push(input.dateOfService);
    if (input.units) parts.push(input.units + (input.units === "1" ? " unit" : " units"));
    if (input.ndc) parts.push("NDC " + input.ndc + (input.ndcUnits ? " × " + input.ndcUnits : ""));
    if (input.state) parts.push("state " + input.state);
    if (input.locality) parts.push("locality " + input.locality);
    if (input.setting) parts.push((SETTINGS.find(function (s) { return s[0] === input.setting; }) || [0, input.setting])[1].toLowerCase());
    return parts.join(" · ");
  }

  function allowedPart(a) {
    var s = a.schedule;
    return h("div", { class: "claim-allowed" },
      h("p", { class: "claim-allowed-amount" }, "Allowed ", h("strong", null, money(a.amount)),
        h("span", { class: "muted" }, " = ", money(a.perUnit), " × ", a.units, a.units === "1" ? " unit" : " units")),
      h("p", { class: "schedule-line" }, BASES[a.basis] || a.basis, ", ", a.detail,
        h("span", { class: "sep", "aria-hidden": "true" }, " · "),
        SCHEDULE_NAMES[s.kind] || s.kind, ", ", period(s), " ", h("span", { class: "muted" }, "(" + s.name + ")")));
  }

  function findingItem(f) {
    var linked = {};
    f.links.forEach(function (l) { linked[l.code] = l; });
    var others = f.codes.filter(function (c) { return !linked[c]; });
    return h("li", { class: "finding finding-" + f.severity.toLowerCase(), "data-rule": f.rule },
      h("p", { class: "finding-head" }, severityBadge(f.severity), " ", h("code", { class: "finding-rule" }, f.rule)),
      h("p", { class: "finding-message" }, f.message),
      f.links.length || others.length
        ? h("div", { class: "finding-codes" }, h("span", { class: "finding-label" }, "Codes: "),
          h("ul", { class: "values" },
            f.links.map(function (l) {
              return h("li", null, codeLink(l.code, l.shortDescription, hrefIn("code", l.code, l.release.name), null, l));
            }),
            others.map(function (c) {
              return h("li", { class: "value" }, h("code", { class: "value-code plain" }, c),
                h("span", { class: "muted" }, "Not a Level II code in a loaded release"));
            })))
        : null,
      h("p", { class: "finding-source muted" }, "Source: ", f.source));
  }

  function resultItem(r, input) {
    var c = r.code;
    var headingId = "claim-line-" + r.line;
    return h("li", { class: "claim-result claim-result-" + r.verdict.toLowerCase(), "data-line": r.line, "aria-labelledby": headingId },
      h("h3", { id: headingId, class: "claim-result-head" },
        h("span", null, "Line " + r.line), " ", h("code", null, input.code), " ", verdictBadge(r.verdict)),
      h("p", { class: "claim-line-summary muted" }, lineSummary(input)),
      h("p", { class: "claim-code" }, c
        ? [h("span", { class: "finding-label" }, "Code in force: "),
          h("a", { class: "value", href: hrefIn("code", c.code, c.release.name) },
            h("code", { class: "value-code" }, c.code), h("span", { class: "value-text" }, c.shortDescription)),
          h("span", { class: "muted claim-release" }, "release " + c.release.name),
          endedMark(c)]
        : h("span", { class: "none" }, "No version of the code is in force on this date.")),
      r.allowed ? allowedPart(r.allowed) : h("p", { class: "muted claim-no-allowed" }, "No allowed amount: no schedule in force on the date prices this line."),
      r.findings.length
        ? h("ul", { class: "findings", "aria-label": "Findings for line " + r.line }, r.findings.map(findingItem))
        : h("p", { class: "muted" }, "Nothing found."));
  }

  function claimResults(results, inputs) {
    var counts = { ERROR: 0, WARNING: 0, OK: 0 };
    results.forEach(function (r) { counts[r.verdict] = (counts[r.verdict] || 0) + 1; });
    var summary = plural(results.length, "line", "lines") + " checked: " +
      plural(counts.ERROR, "error", "errors") + ", " + plural(counts.WARNING, "warning", "warnings") + ", " + counts.OK + " OK";
    return {
      summary: summary,
      node: h("section", { class: "panel claim-results", "aria-labelledby": "claim-results-heading" },
        h("div", { class: "panel-head" },
          h("h2", { id: "claim-results-heading", tabindex: "-1" }, "Results"),
          h("p", { class: "count claim-summary" }, summary)),
        h("ol", { class: "claim-result-list" }, results.map(function (r, i) { return resultItem(r, inputs[i]); }))),
    };
  }

  function viewClaim(signal) {
    var head = h("header", { class: "page-head" },
      h("p", { class: "eyebrow" }, "Claim check"),
      h("h1", null, "Check a claim"),
      h("p", { class: "lead" }, "Type or paste a claim's lines: each is checked on its date of service, against the " +
        "HCPCS release in force then and the payment files loaded, and gets a verdict, what the rules found and what Medicare allows."));
    var sent = null;
    if (route.arg) {
      var read = parseClaimText(route.arg);
      sent = read.error ? null : read.lines;
      if (read.error) return Promise.reject(new ApiError("This address holds no claim lines: " + read.error));
    }
    var draft = entryOf() ? session(CLAIM_DRAFT + entryOf()) : null;
    if (draft === null && !sent) draft = session(CLAIM_LAST);
    var typed = draft !== null ? parseClaimText(draft).lines || [] : sent || [];
    var form = claimForm(typed);
    if (!sent || !sent.length) {
      show([head, form], "Check a claim", true);
      return Promise.resolve();
    }
    var inputs = sent.map(claimInput);
    return gqlPost(Q_CLAIM, { lines: inputs }, signal).then(function (data) {
      var results = claimResults(data.checkClaimLines, inputs);
      show([head, form, results.node], "Check a claim: " + results.summary, false);
      if (moveFocus && !restore) document.getElementById("claim-results-heading").focus();
    }, function (error) {
      if (signal.aborted || error.name !== "ApiError") throw error;
      show([head, form], "Check a claim: not checked", false);
      var field = form.showProblem(error.message);
      if (moveFocus && !restore) (field || form.querySelector(".claim-problem")).focus();
      announce("The lines were not checked: " + error.message);
    });
  }

  function render(focus) {
    route = parseHash();
    moveFocus = focus !== false && !stayOnPicker;
    stayOnPicker = false;
    var entry = entryOf();
    restore = entry ? followed[entry] || null : null;
    if (!entry) window.history.replaceState({ lookupEntry: ++entries }, "");
    document.querySelector(".brand").setAttribute("href", chosen() ? href("home") : "#");
    var claimLink = document.getElementById("nav-claim");
    claimLink.setAttribute("href", href("claim"));
    if (route.view === "claim") claimLink.setAttribute("aria-current", "page");
    else claimLink.removeAttribute("aria-current");
    syncPicker();
    // the box shows the search a page lists, not one typed before following a link or a
    // suggestion (typing changes no route: only Enter does, to a search)
    if (route.view !== "search" && route.view !== "ndc") document.getElementById("search").value = "";
    if (current) current.abort();
    current = new AbortController();
    var signal = current.signal;
    loading();
    var done;
    if (route.view === "home") done = viewHome(signal);
    else if (route.view === "code" || route.view === "modifier") done = viewRecord(route.view, signal);
    else if (route.view === "search") done = viewSearch(signal);
    else if (route.view === "note") done = viewNote(signal);
    else if (route.view === "family") done = viewFamily(signal);
    else if (route.view === "ndc") done = viewNdc(signal);
    else if (route.view === "claim") done = viewClaim(signal);
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
    // an option for a release not loaded lasts as long as a view names it
    Array.prototype.slice.call(picker.querySelectorAll("[data-missing]")).forEach(function (o) {
      if (o.value !== name) o.remove();
    });
    if (!Array.prototype.some.call(picker.options, function (o) { return o.value === name; })) {
      picker.appendChild(h("option", { value: name, "data-missing": true }, name + " (not loaded)"));
    }
    picker.value = name;
  }

  // A release is taken when chosen, not when passed over: Chromium fires `change` on each
  // arrow key of a closed select, so a choice made by keyboard waits for Enter or for focus
  // to leave (Escape puts the current release back); a mouse choice is taken at once. The
  // view then reloads with focus left on the picker.
  var pickerKeyed = false;
  var stayOnPicker = false;

  function commitPicker() {
    pickerKeyed = false;
    if (picker.value === release()) return;
    var r = route;
    var path = "#" + (r.view === "home" ? "home" : r.view + "/" + encodeURIComponent(r.arg));
    stayOnPicker = true; // focus stays where it is: on the picker, or where Tab took it
    if (entryOf()) followed[entryOf()] = { picker: true };
    window.location.hash = path + "?release=" + encodeURIComponent(picker.value);
  }

  picker.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      commitPicker();
    } else if (event.key === "Escape") {
      pickerKeyed = false;
      picker.value = release();
    } else if (event.key === " " || event.key === "F4" || event.altKey) {
      // these open the list: a choice made there (its keys never reach the select) is
      // committed as a mouse choice is
      pickerKeyed = false;
    } else if (event.key.length === 1 || /^(Arrow|Page|Home|End)/.test(event.key)) {
      pickerKeyed = true;
    }
  });
  picker.addEventListener("mousedown", function () { pickerKeyed = false; });
  picker.addEventListener("change", function () { if (!pickerKeyed) commitPicker(); });
  // focus moving elsewhere in the page commits; the window losing focus does not
  picker.addEventListener("blur", function (event) {
    if (event.relatedTarget) {
      commitPicker();
      return;
    }
    window.setTimeout(function () { if (document.hasFocus()) commitPicker(); }, 0);
  });

  // ------------------------------------------------------ search suggestions

  var input = document.getElementById("search");
  var listbox = document.getElementById("suggestions");
  var form = document.getElementById("search-form");
  var suggestTimer = null;
  var suggestAbort = null;
  var active = -1;
  var CODE = /^[A-Za-z][0-9]{4}$/;
  // An NDC as people type it: 4-4-2, 5-3-2 or 5-4-1 with hyphens, 11 digits with or without
  // them; 10 digits without hyphens too, so that the server can say why it cannot tell.
  var NDC = /^(\d{4}-\d{4}-\d{2}|\d{5}-\d{3}-\d{2}|\d{5}-\d{4}-\d{1,2}|\d{10,11})$/;

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

  function openRecord(kind, code) {
    closeSuggestions();
    window.location.hash = href(kind, code);
  }

  // Codes and modifiers in one list: a modifier whose code is the text typed first, then
  // the codes (best match first), then the other modifiers; each modifier marked as one.
  function showSuggestions(text, codes, modifiers) {
    listbox.replaceChildren();
    active = -1;
    input.removeAttribute("aria-activedescendant");
    var typed = text.toUpperCase();
    var rows = [];
    modifiers.nodes.forEach(function (node) { if (node.code === typed) rows.push(["modifier", node]); });
    codes.nodes.forEach(function (node) { rows.push(["code", node]); });
    modifiers.nodes.forEach(function (node) { if (node.code !== typed) rows.push(["modifier", node]); });
    if (!rows.length) {
      listbox.appendChild(h("li", { class: "suggestion-empty", role: "presentation" }, "No codes or modifiers match “" + text + "”"));
    }
    rows.forEach(function (entry, i) {
      var kind = entry[0];
      var node = entry[1];
      listbox.appendChild(h("li", {
        id: "suggestion-" + i, role: "option", class: "suggestion", "aria-selected": "false",
        "data-code": node.code, "data-kind": kind,
        onmousedown: function (event) { event.preventDefault(); },
        onclick: function () { openRecord(kind, node.code); },
      }, h("code", { class: "row-code" }, node.code),
        kind === "modifier" ? h("span", { class: "row-kind" }, "Modifier") : null,
        h("span", { class: "row-text" }, node.shortDescription),
        endedMark(node)));
    });
    var total = codes.totalCount + modifiers.totalCount;
    if (total > rows.length) {
      listbox.appendChild(h("li", {
        id: "suggestion-all", role: "option", class: "suggestion suggestion-all", "aria-selected": "false",
        onmousedown: function (event) { event.preventDefault(); },
        onclick: function () { closeSuggestions(); window.location.hash = href("search", text); },
      }, "All " + number.format(total) + " matches for “" + text + "” →"));
    }
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
    announce(plural(total, "match", "matches"));
  }

  // An NDC's crosswalk rows as options, each marked "NDC" and opening its HCPCS code.
  function showNdcSuggestions(text, rows) {
    listbox.replaceChildren();
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!rows.length) {
      listbox.appendChild(h("li", { class: "suggestion-empty", role: "presentation" }, "No HCPCS code in the loaded crosswalk bills NDC “" + text + "”"));
    }
    rows.forEach(function (r, i) {
      listbox.appendChild(h("li", {
        id: "suggestion-" + i, role: "option", class: "suggestion", "aria-selected": "false",
        "data-code": r.hcpcsCode, "data-kind": "ndc",
        onmousedown: function (event) { event.preventDefault(); },
        onclick: function () { openRecord("code", r.hcpcsCode); },
      }, h("code", { class: "row-code" }, r.hcpcsCode),
        h("span", { class: "row-kind" }, "NDC"),
        h("span", { class: "row-text" }, r.ndc + " " + r.drugName + ": " + r.shortDescription)));
    });
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
    announce(plural(rows.length, "code", "codes") + " for this NDC");
  }

  function suggest() {
    var text = input.value.trim();
    if (suggestAbort) suggestAbort.abort();
    if (text.length < 2 || !searchable(text)) {
      closeSuggestions();
      return;
    }
    suggestAbort = new AbortController();
    var failed = function (error) {
      if (error.name !== "AbortError") {
        listbox.replaceChildren(h("li", { class: "suggestion-empty", role: "presentation" }, error.message));
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    };
    if (NDC.test(text)) {
      gql(Q_NDC, { ndc: text }, suggestAbort.signal).then(function (data) {
        if (input.value.trim() === text && document.activeElement === input) showNdcSuggestions(text, data.ndc);
      }, failed);
      return;
    }
    gql(Q_SUGGEST, { search: text.slice(0, 200), release: release() }, suggestAbort.signal).then(function (data) {
      if (input.value.trim() === text && document.activeElement === input) {
        showSuggestions(text, data.hcpcsCodes, data.modifiers);
      }
    }, failed);
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
    window.location.hash = CODE.test(text) ? href("code", text.toUpperCase())
      : NDC.test(text) ? href("ndc", text) : href("search", text);
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
