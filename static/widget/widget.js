// The campaign banner for other sites, embedded with one line:
//   <script async src="https://DONATE_HOST/widget.js" data-campaign="eoy-2026"></script>
// Optional: data-placement="top|bottom|inline", data-target="#selector" (inline).
// It draws inside a shadow root, builds every node with textContent (never HTML from data),
// sets no cookie, and gives up quietly when the API is down, slow or answers nonsense.
// Comments stay on lines of their own: the server's minifier drops whole comment lines only.
(function (w, d) {
  "use strict";
  var CSS = "__WIDGET_CSS__";
  var me = d.currentScript;
  if (!me || !w.fetch || !w.AbortController || !w.Element.prototype.attachShadow) return;
  var data = me.dataset;
  var slug = data.campaign || "";
  var warn = function (text) {
    if (w.console) console.warn("Campaign banner " + JSON.stringify(slug) + ": " + text);
  };
  // Included twice (or by two plugins): draw once per campaign.
  var drawn = (w.__campaignBanners = w.__campaignBanners || {});
  if (!slug) return warn("data-campaign is missing");
  if (drawn[slug]) return;
  drawn[slug] = 1;
  var base = new URL(me.src, location.href).origin;
  var api = base + "/api/campaigns/" + encodeURIComponent(slug);
  var prefix = "campaign-banner:" + slug + ":";
  // localStorage only, namespaced by campaign; it may be missing or throw (privacy modes).
  var store = function (name, value) {
    try {
      if (value === undefined) return w.localStorage.getItem(prefix + name);
      w.localStorage.setItem(prefix + name, value);
    } catch (e) {}
    return null;
  };
  if (+store("hide") > Date.now()) return;
  var bucket = parseFloat(store("bucket"));
  if (!(bucket >= 0 && bucket < 1)) store("bucket", (bucket = Math.random()));

  var abort = new AbortController();
  var timeout = setTimeout(function () {
    abort.abort();
  }, 4000);
  fetch(api, { credentials: "omit", signal: abort.signal })
    .then(function (response) {
      if (!response.ok) {
        throw Error(response.status == 404 ? "no such public campaign" : "HTTP " + response.status);
      }
      return response.json();
    })
    .then(function (payload) {
      clearTimeout(timeout);
      if (d.body) return draw(payload);
      d.addEventListener("DOMContentLoaded", function () {
        try {
          draw(payload);
        } catch (e) {
          warn(e.message);
        }
      });
    })
    ["catch"](function (e) {
      clearTimeout(timeout);
      warn(e && e.name == "AbortError" ? "no answer in time" : (e && e.message) || e);
    });

  function number(value) {
    if (typeof value != "number" || !isFinite(value)) throw Error("unexpected answer");
    return value;
  }

  function el(tag, className, parent) {
    var node = d.createElement(tag);
    if (className) node.className = className;
    if (parent) parent.appendChild(node);
    return node;
  }

  function plural(count, unit) {
    return count + " " + unit + (count == 1 ? "" : "s");
  }

  function pad(value) {
    return (value < 10 ? "0" : "") + value;
  }

  // Days and hours (minutes in the last hour); hours, minutes and seconds when every
  // second counts.
  function duration(ms, precise) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var hours = Math.floor(s / 3600);
    if (precise) return hours + "h " + pad(Math.floor(s / 60) % 60) + "m " + pad(s % 60) + "s";
    if (!hours) return plural(Math.ceil(s / 60), "minute");
    var days = Math.floor(hours / 24);
    return (days ? plural(days, "day") + " " : "") + plural(hours % 24, "hour");
  }

  function draw(p) {
    var b = p && p.banner;
    if (!b || !Array.isArray(b.variants) || !Array.isArray(b.later)) throw Error("unexpected answer");
    var goal = number(p.goal_amount);
    var raised = number(p.raised_amount);
    var exp = number(p.currency_exponent);
    var starts = number(Date.parse(p.starts_at));
    var ends = number(Date.parse(p.ends_at));
    var code = String(p.currency).toUpperCase();
    var safe = function (url) {
      return /^https?:\/\//i.test(url) ? url : base + "/campaigns/" + encodeURIComponent(slug);
    };
    var phase = function (now) {
      var current = { stage: String(p.stage), variants: b.variants };
      b.later.forEach(function (next) {
        if (next && Array.isArray(next.variants) && now >= Date.parse(next.starts_at)) {
          current = { stage: String(next.stage), variants: next.variants };
        }
      });
      return current;
    };
    var state = phase(Date.now());
    if (!state.variants.length) return;

    var format;
    try {
      format = new Intl.NumberFormat(navigator.language, {
        style: "currency",
        currency: code,
        minimumFractionDigits: 0,
        maximumFractionDigits: 0
      }).format;
    } catch (e) {
      format = function (n) {
        return n + " " + code;
      };
    }
    var money = function (minor) {
      return format(Math.floor(minor / Math.pow(10, exp)));
    };

    var host = d.createElement("campaign-banner");
    var root = host.attachShadow({ mode: "open" });
    // A constructed stylesheet passes a host's CSP without 'unsafe-inline'.
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      el("style", "", root).textContent = CSS;
    }
    var box = el("section", "", root);
    var text = el("div", "t", box);
    var head = el("p", "h", text);
    var body = el("p", "d", text);
    var meter = el("div", "m", box);
    var bar = el("div", "bar", meter);
    var fill = el("span", "", bar);
    var figures = el("p", "f", meter);
    var sums = el("span", "r", figures);
    var clock = el("span", "n", figures);
    var cta = el("a", "c", box);
    var close = el("button", "x", box);
    head.id = "h";
    box.setAttribute("aria-labelledby", "h");
    ["background", "text", "accent", "accent_text"].forEach(function (name, i) {
      var color = (b.colors || {})[name];
      if (/^#[0-9a-f]{6}$/i.test(color)) box.style.setProperty(["--bg", "--fg", "--ac", "--at"][i], color);
    });

    var percent = Math.floor((Math.max(raised, 0) * 100) / goal);
    var label = money(raised) + " raised of " + money(goal) + " (" + percent + "%)";
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-label", "Campaign progress");
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", "100");
    bar.setAttribute("aria-valuenow", Math.min(percent, 100));
    bar.setAttribute("aria-valuetext", label);
    fill.style.width = Math.min(percent, 100) + "%";
    el("b", "", sums).textContent = money(raised);
    sums.appendChild(d.createTextNode(" raised of " + money(goal)));
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.textContent = "\u00d7";
    // A banner in someone's iframe must take the whole page to the donate form.
    if (w.top !== w) cta.target = "_top";

    var shown = {};
    var paint = function () {
      var choice = state.variants[Math.floor(bucket * state.variants.length)] || {};
      shown = { stage: state.stage, variant: String(choice.variant) };
      box.className = "b s-" + state.stage;
      head.textContent = String(choice.headline || "");
      body.textContent = String(choice.body || "");
      cta.textContent = String(choice.cta_label || "Donate");
      cta.href = safe(choice.cta_url);
    };
    var beacon = function (kind) {
      try {
        navigator.sendBeacon(api + "/events", JSON.stringify({ kind: kind, stage: shown.stage, variant: shown.variant }));
      } catch (e) {}
    };
    var tick = function () {
      var now = Date.now();
      var next = phase(now);
      if (next.stage != state.stage) {
        state = next;
        if (!state.variants.length) return remove();
        paint();
      }
      clock.textContent =
        state.stage == "upcoming"
          ? "Starts in " + duration(starts - now)
          : state.stage == "ended"
            ? ""
            : duration(ends - now, state.stage == "final") + " left";
    };
    var timer = setInterval(tick, 1000);
    var remove = function () {
      clearInterval(timer);
      host.remove();
    };
    close.onclick = function () {
      beacon("close");
      var days = +b.dismiss_days;
      if (days > 0) store("hide", Date.now() + days * 864e5);
      remove();
    };
    // The host page can't see the gift itself: a click through to give counts as giving.
    cta.onclick = function () {
      beacon("click");
      store("hide", ends);
    };
    paint();
    tick();

    var place = data.placement || b.placement;
    var target = null;
    if (place == "inline") {
      try {
        target = data.target ? d.querySelector(data.target) : me.parentNode;
      } catch (e) {}
      if (!target || target == d.head) {
        warn("no element " + (data.target || "around the script") + " to draw in; drawing at the bottom");
        place = "bottom";
      }
    }
    if (place != "top" && place != "inline") place = "bottom";
    host.setAttribute("data-placement", place);
    if (place == "top") d.body.insertBefore(host, d.body.firstChild);
    else if (place == "bottom") d.body.appendChild(host);
    else if (data.target) target.appendChild(host);
    else target.insertBefore(host, me);

    // Impressions are sampled (one view in N says so); an inline banner counts once seen.
    var seen = function () {
      if (Math.random() * (+b.impression_sample || 1) < 1) beacon("impression");
    };
    if (place != "inline" || !w.IntersectionObserver) return seen();
    var observer = new IntersectionObserver(function (entries) {
      if (entries[0].isIntersecting) {
        observer.disconnect();
        seen();
      }
    });
    observer.observe(host);
  }
})(window, document);
