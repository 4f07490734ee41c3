// Drives chatgate with SuperOffice's official TypeScript client, npm
// @superoffice/webapi (pinned in package.json), and checks the values the
// client hands back: Dates (as instants), strings and nulls.
//
// tests/conformance_test.go runs it against the real gateway, configured by
// Caddyfile.example, in front of a fresh sample backend:
//
//	TZ=UTC CHATGATE_URL=http://127.0.0.1:8080 node conformance.js
//
// It prints one line per check (a failing one with the request the client
// sent and the answer it got) and exits 1 when any fails. All 31 methods of
// the ChatAgent are called. The checks change the backend, in an order that
// keeps each check's expectations: first the methods that change nothing,
// on the fresh backend; then the transfer trio, where Basic uses 157,
// tickets 184, bearer tokens 798; the time-zone and language checks change
// nothing; last the methods that change messages, sessions, the queue,
// presence, topics and topic agents, each group on what the others leave
// alone.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { WebApi, ChatAgent } = require("@superoffice/webapi");

const pinned = require("./package.json").dependencies["@superoffice/webapi"];

const baseUrl = process.env.CHATGATE_URL;
if (!baseUrl) {
  console.error("CHATGATE_URL (the gateway's base URL) is not set");
  process.exit(2);
}
// Dates without an offset are read by the client as the runtime's local
// time; the expected instants below assume that time is UTC.
if (new Date(2000, 0, 1).getTimezoneOffset() !== 0 || new Date(2000, 6, 1).getTimezoneOffset() !== 0) {
  console.error("run with TZ=UTC: the expected instants assume the client's local time is UTC");
  process.exit(2);
}

// The credentials of the demo users: Basic passwords from Caddyfile.example,
// tickets and tokens the sample backend knows.
const users = {
  tje0: { password: "Tje0", ticket: "7T:tje0-ticket", token: "tje0-token" },
  ann: { password: "ann-pw", ticket: "7T:ann-ticket", token: "ann-token" },
  bob: { password: "bob-pw", ticket: "7T:bob-ticket", token: "bob-token" },
};

// agent returns a ChatAgent for user, authenticated with scheme (basic,
// ticket or bearer), with agent options opts. Every agent gets a
// configuration of its own: the client keeps its credentials in a global
// configuration that `new WebApi` resets, and with a ticket or token it
// writes per-call options into that configuration's shared header object,
// where they stay for later calls (see README.md).
// The agent remembers its last HTTP exchange in `last`.
function agent(user, scheme, opts = {}) {
  const api = new WebApi(baseUrl);
  const u = users[user];
  if (scheme === "basic") api.authenticateWithPassword(user, u.password);
  else if (scheme === "ticket") api.authenticateWithTicket(u.ticket);
  else if (scheme === "bearer") api.authenticateWithToken(u.token);
  else throw new Error("unknown scheme " + scheme);
  const a = new ChatAgent({ baseUrl, ...opts });
  a._axios.interceptors.request.use((config) => {
    exchange = { config, res: undefined };
    return config;
  });
  a._axios.interceptors.response.use(
    (res) => {
      a.last = res;
      exchange = { config: res.config, res };
      return res;
    },
    (err) => {
      a.last = err.response;
      if (err.config) exchange = { config: err.config, res: err.response };
      return Promise.reject(err);
    },
  );
  return a;
}

// exchange is the last HTTP exchange of any agent: a failing check prints
// the request the client sent and the answer it got.
let exchange = null;

function clip(s, n = 700) {
  return s.length > n ? s.slice(0, n) + `… (${s.length} chars)` : s;
}

function describeExchange() {
  if (!exchange) return "";
  const { config, res } = exchange;
  const sentBody = config.data === undefined ? "(none)" : typeof config.data === "string" ? config.data : JSON.stringify(config.data);
  const sent = `${config.method.toUpperCase()} ${config.baseURL || ""}${config.url} body ${clip(sentBody)}`;
  const got = res ? `HTTP ${res.status} ${clip(JSON.stringify(res.data) ?? "(none)")}` : "no answer";
  return `\nsent: ${sent}\ngot:  ${got}`;
}

let failed = 0;
let passed = 0;

// check runs one named check; fn throws on a failure.
async function check(name, fn) {
  exchange = null;
  try {
    const note = await fn();
    passed++;
    console.log(`ok   ${name}${note ? ` (${note})` : ""}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}\n     ${(describe(err) + (err && err.response ? "" : describeExchange())).replace(/\n/g, "\n     ")}`);
  }
}

function describe(err) {
  if (err && err.response) {
    const r = err.response;
    const body = typeof r.data === "string" ? r.data : JSON.stringify(r.data);
    return `HTTP ${r.status} from ${r.config.method.toUpperCase()} ${r.config.baseURL}${r.config.url}: ${body}`;
  }
  return err && err.stack ? err.stack.split("\n").slice(0, 2).join("\n") : String(err);
}

function expect(what, got, want) {
  if (got !== want) throw new Error(`${what} = ${JSON.stringify(got)}; want ${JSON.stringify(want)}`);
}

const name = (associate) => (associate ? associate.name : null);

// session asserts a ChatSessionEntity the client handed back: its id, the
// Name of its User and of its TransferTo (null for none).
function session(s, id, user, transferTo) {
  if (s === null || typeof s !== "object") throw new Error(`answer = ${JSON.stringify(s)}; want session ${id}`);
  expect("chatSessionId", s.chatSessionId, id);
  expect("user.name", name(s.user), user);
  expect("transferTo.name", name(s.transferTo), transferTo);
  return `user ${user}, transferTo ${transferTo}`;
}

// trio runs the transfer, accept and reject rules with scheme on session id,
// whose User is owner and whose TransferTo is none at the start (or pending,
// which the owner's transfer replaces). a, b and c are the three users, owner
// first: owner transfers to b, c cannot transfer or accept, b accepts; b
// transfers to a, c cannot reject, a rejects.
async function trio(scheme, id, [a, b, c]) {
  const A = a.toUpperCase();
  const B = b.toUpperCase();
  await check(`${scheme}: ${a} transfers ${id} to ${b}`, async () =>
    session(await agent(a, scheme).transferChatSessionAsync(id, b), id, A, B),
  );
  await check(`${scheme}: ${c} (not the owner) transfers ${id} to ${c}: nothing changes`, async () =>
    session(await agent(c, scheme).transferChatSessionAsync(id, c), id, A, B),
  );
  await check(`${scheme}: ${c} (not the target) accepts ${id}: nothing changes`, async () =>
    session(await agent(c, scheme).acceptChatSessionTransferAsync(id), id, A, B),
  );
  await check(`${scheme}: ${b} accepts ${id}`, async () =>
    session(await agent(b, scheme).acceptChatSessionTransferAsync(id), id, B, null),
  );
  await check(`${scheme}: ${b} transfers ${id} to ${a}`, async () =>
    session(await agent(b, scheme).transferChatSessionAsync(id, a), id, B, A),
  );
  await check(`${scheme}: ${c} (not the target) rejects ${id}: nothing changes`, async () =>
    session(await agent(c, scheme).rejectChatSessionTransferAsync(id), id, B, A),
  );
  await check(`${scheme}: ${a} rejects ${id}`, async () =>
    session(await agent(a, scheme).rejectChatSessionTransferAsync(id), id, B, null),
  );
}

// The instants of session 157's dates (samplebackend/data.go).
const instants = {
  whenRequested: { wire: "WhenRequested", iso: "2000-12-04T10:10:26.109Z" }, // 11:10:26.1095254+01:00
  whenStarted: { wire: "WhenStarted", iso: "2021-06-18T09:10:26.109Z" }, // 11:10:26.1095254+02:00 (summer time)
};

const hasOffset = (s) => /(Z|[+-]\d\d:?\d\d)$/.test(s);

// wallTimeAsUTC is the Date the client makes of instant's wall time in zone
// written without an offset: with TZ=UTC, V8 reads it as UTC.
function wallTimeAsUTC(iso, zone) {
  const d = new Date(iso);
  const parts = {};
  for (const p of new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(d)) {
    parts[p.type] = Number(p.value);
  }
  return new Date(
    Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, d.getUTCMilliseconds()),
  );
}

// timezone checks one SO-Timezone form: bob's accept of 157 (not his, so
// nothing changes) answers session 157, whose dates must be the same
// instants whatever the form. The form changes the notation only: an answer
// with an offset must be the instant exactly; one without an offset (allowed
// only without includeTZOffset) must be the wall time in the zone the form
// names (base zone Europe/Oslo when it names none), which the client reads
// as UTC.
async function timezone(label, agentOpts, callOpts, { header, include, zone }) {
  await check(`SO-Timezone ${label}`, async () => {
    const a = agent("bob", "basic", agentOpts);
    const s = await a.acceptChatSessionTransferAsync(157, callOpts);
    if (s === null) throw new Error("answer = null; want session 157");
    const sent = a.last.config.headers.get("SO-Timezone");
    expect("SO-Timezone header the client sent", sent === undefined ? null : sent, header);
    const notes = [];
    for (const [field, { wire, iso }] of Object.entries(instants)) {
      const raw = a.last.data[wire];
      const got = s[field];
      if (!(got instanceof Date) || isNaN(got)) throw new Error(`${field} = ${got} from ${JSON.stringify(raw)}`);
      if (include && !hasOffset(raw)) throw new Error(`${wire} = ${JSON.stringify(raw)} has no offset despite includeTZOffset`);
      const want = hasOffset(raw) ? new Date(iso) : wallTimeAsUTC(iso, zone);
      if (got.getTime() !== want.getTime()) {
        throw new Error(`${field} = ${got.toISOString()} from ${JSON.stringify(raw)}; want ${want.toISOString()} (${iso})`);
      }
      notes.push(`${wire} ${raw}`);
    }
    return notes.join(", ");
  });
}

// strings returns every string in v.
function strings(v, out = []) {
  if (typeof v === "string") out.push(v);
  else if (v && typeof v === "object") for (const x of Object.values(v)) strings(x, out);
  return out;
}

// A SuperOffice multi-language string: US:"Supplier";NO:"Leverandør".
const multiLanguage = /^\s*([A-Za-z]{2}:"(?:[^"\\]|\\.)*"\s*;?\s*)+$/;

// language checks one language option: the call works, the client sent the
// headers it should, and no multi-language string is left untranslated.
async function language(label, agentOpts, callOpts, headers) {
  await check(`language ${label}`, async () => {
    const a = agent("bob", "basic", agentOpts);
    const s = await a.acceptChatSessionTransferAsync(157, callOpts);
    if (s === null) throw new Error("answer = null; want session 157");
    expect("chatSessionId", s.chatSessionId, 157);
    expect("customerName", s.customerName, "Streich, Renner and Bradtke");
    for (const [h, v] of Object.entries(headers)) {
      const sent = a.last.config.headers.get(h);
      expect(`${h} header the client sent`, sent === undefined ? null : sent, v);
    }
    const left = strings(a.last.data).filter((x) => multiLanguage.test(x));
    if (left.length) throw new Error(`multi-language strings not translated: ${JSON.stringify(left)}`);
  });
}

// The checks of the other 28 methods (and of the trio's request-object
// form) assert the typed values the client hands back: enum member names,
// flags decoded to numbers, Dates, dayjs Durations, nulls and lists.

// isDate fails unless v is a valid Date.
function isDate(what, v) {
  if (!(v instanceof Date) || isNaN(v)) throw new Error(`${what} = ${v === undefined ? "undefined" : JSON.stringify(v)}; want a valid Date`);
}

// instant fails unless v is a Date at the instant iso.
function instant(what, v, iso) {
  isDate(what, v);
  if (v.getTime() !== new Date(iso).getTime()) throw new Error(`${what} = ${v.toISOString()}; want ${new Date(iso).toISOString()}`);
}

// dated checks a date the backend keeps as Oslo local time: with an offset
// on the wire it must be the instant iso, without one the wall time in
// Oslo, which the client reads as its local time (UTC).
function dated(what, v, raw, iso) {
  instant(what, v, hasOffset(String(raw)) ? iso : wallTimeAsUTC(iso, "Europe/Oslo").toISOString());
}

function same(what, got, want) {
  const g = JSON.stringify(got);
  const w = JSON.stringify(want);
  if (g !== w) throw new Error(`${what} = ${g}; want ${w}`);
}

// list fails unless v is an array; it returns v.
function list(what, v) {
  if (!Array.isArray(v)) throw new Error(`${what} = ${JSON.stringify(v)}; want an array`);
  return v;
}

function object(what, v) {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Error(`${what} = ${JSON.stringify(v)}; want an object`);
  return v;
}

const pluck = (xs, f) => xs.map((x) => (typeof f === "function" ? f(x) : x[f]));

// duration fails unless d is a dayjs Duration of hours.
function duration(what, d, hours) {
  if (!d || typeof d.asHours !== "function") throw new Error(`${what} = ${JSON.stringify(d)}; want a dayjs Duration`);
  expect(`${what}.asHours()`, d.asHours(), hours);
}

// isVoid fails unless a void method's answer is what the client resolves
// with for 204 (""), JSON null or no body.
function isVoid(what, v) {
  if (v !== "" && v !== null && v !== undefined) throw new Error(`${what} = ${JSON.stringify(v)}; want "" (204) or null`);
}

// openNow says whether topic 225 (Monday to Friday, monStart to 16:00
// Oslo time, lunch 11:30 to 12:00; Monday from monStart hours) is open at
// now.
function openNow(now, monStart = 8) {
  const parts = {};
  for (const p of new Intl.DateTimeFormat("en-US", {
    timeZone: "Europe/Oslo",
    hourCycle: "h23",
    weekday: "short",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(now)) {
    parts[p.type] = p.value;
  }
  const h = Number(parts.hour) + Number(parts.minute) / 60 + Number(parts.second) / 3600;
  const start = parts.weekday === "Mon" ? monStart : 8;
  return ["Mon", "Tue", "Wed", "Thu", "Fri"].includes(parts.weekday) && h >= start && h < 16 && !(h >= 11.5 && h < 12);
}

// opening checks IsWithinOpeningHours(225) against the Oslo clock (either
// answer counts when the clock crosses a boundary during the call).
async function opening(a, monStart) {
  const before = openNow(new Date(), monStart);
  const got = await a.isWithinOpeningHoursAsync(225);
  const after = openNow(new Date(), monStart);
  if (typeof got !== "boolean") throw new Error(`answer = ${JSON.stringify(got)}; want a boolean`);
  if (got !== before && got !== after) throw new Error(`answer = ${got}; want ${before} (Oslo time now)`);
  return `${got}`;
}

// The dates of session 157 as instants (Oslo local time in the backend).
const dates157 = {
  whenRequested: "2000-12-04T10:10:26.109Z",
  whenStarted: "2021-06-18T09:10:26.109Z",
  whenEnded: "1995-07-25T09:10:26.109Z",
  whenIdle: "2022-01-01T10:10:26.109Z",
  whenFetched: "2008-11-23T10:10:26.109Z",
};

// reads checks the methods that change nothing, on the fresh backend
// (before the transfer checks move sessions 157, 184 and 798).
async function reads() {
  await check("GetChatSessionEntity(157): status \"CustomerLast\", user TJE0, flags 0 (\"CustomerIsTyping\"), transferTo null, dates are Oslo wall time", async () => {
    const a = agent("tje0", "basic");
    const s = object("answer", await a.getChatSessionEntityAsync(157));
    session(s, 157, "TJE0", null);
    expect("status", s.status, "CustomerLast");
    expect("topicId", s.topicId, 225);
    expect("user.associateId", s.user.associateId, 13);
    expect("user.userName", s.user.userName, "tje0");
    expect("user.type", s.user.type, "InternalAssociate");
    expect("flags", s.flags, 0);
    expect("transferTo", s.transferTo, null);
    expect("person", s.person, null);
    expect("customerName", s.customerName, "Streich, Renner and Bradtke");
    expect("customerConsented", s.customerConsented, true);
    expect("rating", s.rating, 33);
    for (const [field, iso] of Object.entries(dates157)) {
      dated(field, s[field], a.last.data[field[0].toUpperCase() + field.slice(1)], iso);
    }
    return `WhenRequested ${a.last.data.WhenRequested}`;
  });
  await check("GetChatSessionEntity(157) with includeTZOffset: every date the exact instant", async () => {
    const a = agent("tje0", "basic", { timezoneInclude: true });
    const s = object("answer", await a.getChatSessionEntityAsync(157));
    for (const [field, iso] of Object.entries(dates157)) instant(field, s[field], iso);
    return `WhenRequested ${a.last.data.WhenRequested}`;
  });
  await check("GetChatSessionEntity(184) (ticket ann): user ANN, transferTo TJE0 (an Associate)", async () => {
    const s = await agent("ann", "ticket").getChatSessionEntityAsync(184);
    session(s, 184, "ANN", "TJE0");
    expect("transferTo.associateId", s.transferTo.associateId, 13);
    expect("transferTo.type", s.transferTo.type, "InternalAssociate");
  });
  await check("GetChatSessionEntity(901): status \"InQueue\", user null, whenEnded null", async () => {
    const s = object("answer", await agent("tje0", "basic").getChatSessionEntityAsync(901));
    expect("status", s.status, "InQueue");
    expect("user", s.user, null);
    expect("whenEnded", s.whenEnded, null);
    isDate("whenRequested", s.whenRequested);
  });
  await check("GetChatSessionEntity(746): status \"Closed\"", async () => {
    const s = object("answer", await agent("tje0", "basic").getChatSessionEntityAsync(746));
    expect("status", s.status, "Closed");
    expect("user", s.user, null);
  });
  await check("GetChatSessionEntity(999999) (no such session): null", async () => {
    expect("answer", await agent("tje0", "basic").getChatSessionEntityAsync(999999), null);
  });

  await check("ChatSessionsForUser (basic tje0): the caller's sessions [157]", async () => {
    const list_ = list("answer", await agent("tje0", "basic").chatSessionsForUserAsync());
    same("chatSessionIds", pluck(list_, "chatSessionId"), [157]);
    expect("[0].user.name", name(list_[0].user), "TJE0");
    expect("[0].status", list_[0].status, "CustomerLast");
    isDate("[0].whenRequested", list_[0].whenRequested);
  });
  await check("ChatSessionsForUser (ticket 7T:ann-ticket): [184]", async () => {
    const a = agent("ann", "ticket");
    const list_ = list("answer", await a.chatSessionsForUserAsync());
    expect("Authorization the client sent", a.last.config.headers.get("Authorization"), "SOTicket 7T:ann-ticket");
    same("chatSessionIds", pluck(list_, "chatSessionId"), [184]);
    expect("[0].transferTo.name", name(list_[0].transferTo), "TJE0");
  });
  await check("ChatSessionsForUser (basic bob): [798]", async () => {
    same("chatSessionIds", pluck(list("answer", await agent("bob", "basic").chatSessionsForUserAsync()), "chatSessionId"), [798]);
  });

  await check("GetChatMessages(157, 0): messages 1-4 with type, specialType names and whenPosted Dates", async () => {
    const a = agent("tje0", "basic");
    const ms = list("answer", await a.getChatMessagesAsync(157, 0));
    same("chatMessageIds", pluck(ms, "chatMessageId"), [1, 2, 3, 4]);
    same("types", pluck(ms, "type"), ["Special", "ToUser", "ToCustomer", "ToUser"]);
    same("specialTypes", pluck(ms, "specialType"), ["Welcome", "None", "None", "None"]);
    same("readByCustomer", pluck(ms, "readByCustomer"), [0, 1, 1, 1]);
    same("chatSessionIds", pluck(ms, "chatSessionId"), [157, 157, 157, 157]);
    expect("[2].message", ms[2].message, "Sorry about that! Let me have a look.");
    expect("[2].author", ms[2].author, "TJE0");
    ms.forEach((m, i) => isDate(`[${i}].whenPosted`, m.whenPosted));
    dated("[1].whenPosted", ms[1].whenPosted, a.last.data[1].WhenPosted, "2021-06-18T09:10:41Z");
  });
  await check("GetChatMessages(157, 2): only ids > 2", async () => {
    same("chatMessageIds", pluck(list("answer", await agent("tje0", "basic").getChatMessagesAsync(157, 2)), "chatMessageId"), [3, 4]);
  });
  await check("GetChatMessages(157) (after left out): all 4", async () => {
    same("chatMessageIds", pluck(list("answer", await agent("tje0", "basic").getChatMessagesAsync(157)), "chatMessageId"), [1, 2, 3, 4]);
  });
  await check("GetChatMessages({chatSessionId: 184, after: 5}) (request object): 6, 7; 7 is Special/TransferedSession", async () => {
    const ms = list("answer", await agent("ann", "basic").getChatMessagesAsync({ chatSessionId: 184, after: 5 }));
    same("chatMessageIds", pluck(ms, "chatMessageId"), [6, 7]);
    expect("[1].type", ms[1].type, "Special");
    expect("[1].specialType", ms[1].specialType, "TransferedSession");
    expect("[1].specialParam", ms[1].specialParam, "TJE0");
    expect("[0].message", ms[0].message, "Yes <b>of course</b>: which address?");
  });
  await check("GetChatMessages(157, 0) with includeTZOffset: whenPosted the exact instant", async () => {
    const ms = list("answer", await agent("tje0", "basic", { timezoneInclude: true }).getChatMessagesAsync(157, 0));
    instant("[1].whenPosted", ms[1].whenPosted, "2021-06-18T09:10:41Z");
    instant("[0].whenPosted", ms[0].whenPosted, "2021-06-18T09:10:26.109Z");
  });
  await check("GetChatMessages(999999, 0) (no such session): []", async () => {
    same("answer", await agent("tje0", "basic").getChatMessagesAsync(999999, 0), []);
  });

  await check("GetChatTranscript(157, false): a string of the 3 text messages", async () => {
    const t = await agent("tje0", "basic").getChatTranscriptAsync(157, false);
    expect("typeof answer", typeof t, "string");
    if (!t.includes("illum: Hi, order 10148 was charged twice.")) throw new Error(`answer = ${JSON.stringify(t)}; want message 2`);
    expect("lines", t.trim().split("\n").length, 3);
  });
  await check("GetChatTranscript({chatSessionId: 157, html: true}) (request object): an HTML string", async () => {
    const t = await agent("tje0", "basic").getChatTranscriptAsync({ chatSessionId: 157, html: true });
    expect("typeof answer", typeof t, "string");
    if (!t.startsWith("<p>") || !t.includes("<b>TJE0</b>")) throw new Error(`answer = ${JSON.stringify(t)}; want <p>… <b>TJE0</b>`);
  });
  await check("GetChatTranscript(999999, false) (no such session): null", async () => {
    expect("answer", await agent("tje0", "basic").getChatTranscriptAsync(999999, false), null);
  });

  await check("IsWithinOpeningHours(226) (no opening hours): true", async () => {
    expect("answer", await agent("tje0", "basic").isWithinOpeningHoursAsync(226), true);
  });
  await check("IsWithinOpeningHours({chatTopicId: 226}) (request object): true", async () => {
    expect("answer", await agent("tje0", "basic").isWithinOpeningHoursAsync({ chatTopicId: 226 }), true);
  });
  await check("IsWithinOpeningHours(225): the boolean of Mon-Fri 08-16 Oslo, lunch 11:30-12 closed", async () =>
    opening(agent("tje0", "basic")),
  );
  await check("IsWithinOpeningHours(999999) (no such topic): null", async () => {
    expect("answer", await agent("tje0", "basic").isWithinOpeningHoursAsync(999999), null);
  });

  await check("ChatTopicsForUser (basic tje0): [225]", async () => {
    const ts = list("answer", await agent("tje0", "basic").chatTopicsForUserAsync());
    same("chatTopicIds", pluck(ts, "chatTopicId"), [225]);
    duration("[0].openingHours.monStart", ts[0].openingHours && ts[0].openingHours.monStart, 8);
  });
  await check("ChatTopicsForUser (ticket 7T:ann-ticket): [225, 226]", async () => {
    same("chatTopicIds", pluck(list("answer", await agent("ann", "ticket").chatTopicsForUserAsync()), "chatTopicId"), [225, 226]);
  });

  await check("GetChatTopicEntity(225): name raw, opening hours as dayjs Durations, widget enums and flags", async () => {
    const a = agent("tje0", "basic");
    const t = object("answer", await a.getChatTopicEntityAsync(225));
    expect("chatTopicId", t.chatTopicId, 225);
    expect("name", t.name, 'US:"Support";NO:"Kundestøtte"');
    expect("secondsPrAccept", t.secondsPrAccept, 120);
    dated("lastAccept", t.lastAccept, a.last.data.LastAccept, "2024-03-05T08:40:00Z");
    expect("openingHoursEnabled", t.openingHoursEnabled, true);
    const h = object("openingHours", t.openingHours);
    expect("openingHours.monEnabled", h.monEnabled, true);
    expect("openingHours.satEnabled", h.satEnabled, false);
    duration("openingHours.monStart", h.monStart, 8);
    duration("openingHours.monStop", h.monStop, 16);
    duration("openingHours.friStop", h.friStop, 16);
    duration("openingHours.satStart", h.satStart, 0);
    expect("openingHours.useLunchHours", h.useLunchHours, true);
    duration("openingHours.lunchStart", h.lunchStart, 11.5);
    duration("openingHours.lunchStop", h.lunchStop, 12);
    const w = object("widget", t.widget);
    expect("widget.requiredFields", w.requiredFields, 3);
    expect("widget.offlineFields", w.offlineFields, 1);
    expect("widget.theme", w.theme, "Modern");
    expect("widget.size", w.size, "Normal");
    expect("widget.languageIsoCode", w.languageIsoCode, "nb");
    return `MonStart ${JSON.stringify(a.last.data.OpeningHours.MonStart)}`;
  });
  await check('GetChatTopicEntity(225) with languageCode "nb": name "Kundestøtte"', async () => {
    const t = object("answer", await agent("tje0", "basic", { languageCode: "nb" }).getChatTopicEntityAsync(225));
    expect("name", t.name, "Kundestøtte");
    expect("description", t.description, "Ordre, fakturaer og leveranser");
    expect("widget.welcomeTitle", t.widget && t.widget.welcomeTitle, "Kundestøtte");
  });
  await check('GetChatTopicEntity(225) with languageCode "en": name "Support"', async () => {
    const t = object("answer", await agent("tje0", "basic", { languageCode: "en" }).getChatTopicEntityAsync(225));
    expect("name", t.name, "Support");
    expect("badgeHeader", t.badgeHeader, "Chat with us");
  });
  await check("GetChatTopicEntity(226): no opening hours (null), widget Large/Classic, requiredFields 7", async () => {
    const t = object("answer", await agent("bob", "basic").getChatTopicEntityAsync(226));
    expect("openingHoursEnabled", t.openingHoursEnabled, false);
    expect("openingHours", t.openingHours, null);
    expect("widget.size", t.widget && t.widget.size, "Large");
    expect("widget.theme", t.widget && t.widget.theme, "Classic");
    expect("widget.requiredFields", t.widget && t.widget.requiredFields, 7);
  });
  await check("GetChatTopicEntity(999999) (no such topic): null", async () => {
    expect("answer", await agent("tje0", "basic").getChatTopicEntityAsync(999999), null);
  });

  await check('CreateDefaultChatSessionEntity: id 0, status "InQueue", user null, flags 0, whenRequested now', async () => {
    const s = object("answer", await agent("tje0", "basic", { timezoneInclude: true }).createDefaultChatSessionEntityAsync());
    expect("chatSessionId", s.chatSessionId, 0);
    expect("status", s.status, "InQueue");
    expect("user", s.user, null);
    expect("transferTo", s.transferTo, null);
    expect("flags", s.flags, 0);
    expect("whenStarted", s.whenStarted, null);
    isDate("whenRequested", s.whenRequested);
    if (Math.abs(s.whenRequested - Date.now()) > 120e3) throw new Error(`whenRequested = ${s.whenRequested.toISOString()}; want now`);
  });
  await check("CreateDefaultChatTopicEntity: id 0, secondsPrAccept 60, openingHours null, widget Classic, requiredFields 0", async () => {
    const t = object("answer", await agent("tje0", "basic").createDefaultChatTopicEntityAsync());
    expect("chatTopicId", t.chatTopicId, 0);
    expect("name", t.name, "");
    expect("secondsPrAccept", t.secondsPrAccept, 60);
    expect("lastAccept", t.lastAccept, null);
    expect("openingHours", t.openingHours, null);
    expect("widget.languageIsoCode", t.widget && t.widget.languageIsoCode, "en");
    expect("widget.theme", t.widget && t.widget.theme, "Classic");
    expect("widget.requiredFields", t.widget && t.widget.requiredFields, 0);
  });
  await check("CreateDefaultChatTopicAgent: topicId 0, user null, canListen and canRespond", async () => {
    const g = object("answer", await agent("tje0", "basic").createDefaultChatTopicAgentAsync());
    same("agent", [g.topicId, g.user, g.canListen, g.canRespond, g.canManage, g.canNotify], [0, null, true, true, false, false]);
  });

  await check("GetChatPresence: TJE0 and ANN present, BOB away, one ongoing chat each", async () => {
    const ps = list("answer", await agent("tje0", "basic").getChatPresenceAsync());
    same("userIds", pluck(ps, "userId"), [13, 14, 15]);
    same("present", pluck(ps, "present"), [true, true, false]);
    same("ongoingChats", pluck(ps, "ongoingChats"), [1, 1, 1]);
    same("[1].chatTopics", ps[1].chatTopics, [225, 226]);
    expect("[0].displayName", ps[0].displayName, "Tom Jensen");
  });
  await check("GetUserAgentList(true, false): MDOListItems TJE0, ANN, BOB", async () => {
    const xs = list("answer", await agent("tje0", "basic").getUserAgentListAsync(true, false));
    same("ids", pluck(xs, "id"), [13, 14, 15]);
    same("names", pluck(xs, "name"), ["TJE0", "ANN", "BOB"]);
    same("childItems", pluck(xs, "childItems"), [[], [], []]);
    expect("[0].fullName", xs[0].fullName, "Tom Jensen");
    expect("[0].deleted", xs[0].deleted, false);
  });
  await check("GetUserAgentList(false, false): groups Support [13, 14] and Sales [15]", async () => {
    const xs = list("answer", await agent("tje0", "basic").getUserAgentListAsync(false, false));
    same("names", pluck(xs, "name"), ["Support", "Sales"]);
    same("childItems ids", pluck(xs, (x) => pluck(list("childItems", x.childItems), "id")), [[13, 14], [15]]);
  });
  await check("GetUserAgentList({flat: true, onlyPresent: true}) (request object): [13, 14]", async () => {
    same("ids", pluck(list("answer", await agent("tje0", "basic").getUserAgentListAsync({ flat: true, onlyPresent: true })), "id"), [13, 14]);
  });

  await check("GetChatTopicUserAgentList(225): TJE0 (manager), ANN", async () => {
    const gs = list("answer", await agent("tje0", "basic").getChatTopicUserAgentListAsync(225));
    same("user names", pluck(gs, (g) => name(g.user)), ["TJE0", "ANN"]);
    same("canManage", pluck(gs, "canManage"), [true, false]);
    same("topicIds", pluck(gs, "topicId"), [225, 225]);
  });
  await check("GetChatTopicUserAgentList(999999) (no such topic): []", async () => {
    same("answer", await agent("tje0", "basic").getChatTopicUserAgentListAsync(999999), []);
  });
  await check('GetChatTopicUserAgent(225, "ann"): ANN, canManage false, canNotify true', async () => {
    const g = object("answer", await agent("tje0", "basic").getChatTopicUserAgentAsync(225, "ann"));
    expect("user.name", name(g.user), "ANN");
    same("rights", [g.topicId, g.canListen, g.canRespond, g.canManage, g.canNotify], [225, true, true, false, true]);
  });
  await check('GetChatTopicUserAgent({chatTopicId: 226, username: "15"}) (request object, associate id): BOB', async () => {
    const g = object("answer", await agent("tje0", "basic").getChatTopicUserAgentAsync({ chatTopicId: 226, username: "15" }));
    expect("user.name", name(g.user), "BOB");
  });
  await check('GetChatTopicUserAgent(225, "bob") (not an agent of 225): null', async () => {
    expect("answer", await agent("tje0", "basic").getChatTopicUserAgentAsync(225, "bob"), null);
  });
}

// The transfer methods in their request-object form (after the trio:
// 798 is TJE0's).
async function trioRequestObjects() {
  await check('TransferChatSession({chatSessionId: 798, toAssociate: "14"}) (request object, associate id): transferTo ANN', async () =>
    session(await agent("tje0", "basic").transferChatSessionAsync({ chatSessionId: 798, toAssociate: "14" }), 798, "TJE0", "ANN"),
  );
  await check("RejectChatSessionTransfer({chatSessionId: 798}) (request object, ticket ann): transferTo null", async () =>
    session(await agent("ann", "ticket").rejectChatSessionTransferAsync({ chatSessionId: 798 }), 798, "TJE0", null),
  );
  await check("AcceptChatSessionTransfer({chatSessionId: 798}) (request object, nothing pending): unchanged", async () =>
    session(await agent("ann", "basic").acceptChatSessionTransferAsync({ chatSessionId: 798 }), 798, "TJE0", null),
  );
}

// messages adds messages (157 is ANN's, 184 BOB's after the trio).
async function messages() {
  let added = null;
  await check('AddChatMessage(157, message): the new message with an id, "ToCustomer", whenPosted a Date', async () => {
    const m = object("answer", await agent("ann", "basic").addChatMessageAsync(157, {
      type: "ToCustomer",
      message: "Refund on its way.",
      author: "ANN",
      specialType: "None",
      whenPosted: new Date(),
    }));
    if (!Number.isInteger(m.chatMessageId) || m.chatMessageId <= 7) throw new Error(`chatMessageId = ${m.chatMessageId}; want a new id > 7`);
    added = m.chatMessageId;
    expect("chatSessionId", m.chatSessionId, 157);
    expect("type", m.type, "ToCustomer");
    expect("specialType", m.specialType, "None");
    expect("message", m.message, "Refund on its way.");
    isDate("whenPosted", m.whenPosted);
    return `id ${added}`;
  });
  await check("GetChatMessages(157, 4): only the added message", async () => {
    const ms = list("answer", await agent("ann", "basic").getChatMessagesAsync(157, 4));
    same("chatMessageIds", pluck(ms, "chatMessageId"), added ? [added] : ["the added id"]);
    expect("[0].message", ms[0].message, "Refund on its way.");
  });
  await check('GetChatSessionEntity(157) after the agent wrote: status "UserLast", lastMessage the new text', async () => {
    const s = object("answer", await agent("ann", "basic").getChatSessionEntityAsync(157));
    expect("status", s.status, "UserLast");
    expect("lastMessage", s.lastMessage, "Refund on its way.");
  });
  await check('AddChatMessage({chatSessionId: 184, message}) (request object, ticket bob): "ToUser"', async () => {
    const m = object("answer", await agent("bob", "ticket").addChatMessageAsync({
      chatSessionId: 184,
      message: { type: "ToUser", message: "Thanks!", specialType: "None" },
    }));
    expect("chatSessionId", m.chatSessionId, 184);
    expect("type", m.type, "ToUser");
    if (!(m.chatMessageId > 7)) throw new Error(`chatMessageId = ${m.chatMessageId}; want a new id`);
  });
}

// saves round-trips sessions: loaded, changed and saved as the client
// sends them (D.8: tableRight, fieldProperties, numeric flags, UTC Z
// dates), then loaded again. includeTZOffset makes every date an instant,
// so the round trip keeps them.
async function saves() {
  await check("SaveChatSessionEntity(157 loaded, customerName and flags 1 changed, tableRight/fieldProperties re-sent): saved, reload equal", async () => {
    const a = agent("ann", "basic", { timezoneInclude: true });
    const s = object("loaded", await a.getChatSessionEntityAsync(157));
    s.customerName = "Streich & Renner";
    s.flags = 1; // UserIsTyping: the client sends flags as numbers
    s.tableRight = { mask: 15, reason: "" };
    s.fieldProperties = { ChatSessionId: { fieldRight: { mask: 1, reason: "" }, fieldType: "System.Int32", fieldLength: 4 } };
    s.user.tableRight = { mask: 3, reason: "" };
    s.user.fieldProperties = {};
    const saved = object("saved", await a.saveChatSessionEntityAsync(s));
    const sent = JSON.parse(a.last.config.data);
    expect("flags the client sent", sent.flags, 1);
    expect("whenRequested the client sent", sent.whenRequested, "2000-12-04T10:10:26.109Z");
    session(saved, 157, "ANN", null);
    expect("saved customerName", saved.customerName, "Streich & Renner");
    expect("saved flags", saved.flags, 1);
    const again = object("reloaded", await a.getChatSessionEntityAsync(157));
    session(again, 157, "ANN", null);
    expect("reloaded customerName", again.customerName, "Streich & Renner");
    expect("reloaded flags", again.flags, 1);
    expect("reloaded status", again.status, "UserLast");
    for (const [field, iso] of Object.entries(dates157)) instant(`reloaded ${field}`, again[field], iso);
  });
  await check("SaveChatSessionEntity(157, whenEnded 0000-12-31T23:06:32.000Z, the sentinel a client east of UTC sends back, D.8): accepted, kept as the backend's no date", async () => {
    const a = agent("ann", "basic", { timezoneInclude: true });
    const s = object("loaded", await a.getChatSessionEntityAsync(157));
    s.whenEnded = new Date("0000-12-31T23:06:32.000Z");
    const saved = object("saved", await a.saveChatSessionEntityAsync(s));
    expect("whenEnded the client sent", JSON.parse(a.last.config.data).whenEnded, "0000-12-31T23:06:32.000Z");
    session(saved, 157, "ANN", null);
    isDate("saved whenEnded", saved.whenEnded);
    // the backend got its own "no date" back, not a date of the year 0
    expect("WhenEnded the backend keeps", a.last.data.WhenEnded.slice(0, 19), "0001-01-01T00:00:00");
    return `WhenEnded ${a.last.data.WhenEnded}`;
  });
  let created = null;
  await check("SaveChatSessionEntity(CreateDefault, topicId 226): a new session with an id", async () => {
    const a = agent("tje0", "basic", { timezoneInclude: true });
    const d = object("default", await a.createDefaultChatSessionEntityAsync());
    d.topicId = 226;
    d.customerName = "Ola Nordmann";
    const s = object("saved", await a.saveChatSessionEntityAsync(d));
    if (!(s.chatSessionId > 0)) throw new Error(`chatSessionId = ${s.chatSessionId}; want a new id`);
    created = s.chatSessionId;
    expect("status", s.status, "InQueue");
    expect("customerName", s.customerName, "Ola Nordmann");
    instant("whenRequested", s.whenRequested, d.whenRequested.toISOString());
    const again = object("reloaded", await a.getChatSessionEntityAsync(created));
    expect("reloaded topicId", again.topicId, 226);
    return `id ${created}`;
  });
  await check("DeleteChatSessionEntity(the new session): resolves; GetChatSessionEntity then null", async () => {
    const a = agent("tje0", "basic");
    isVoid("answer", await a.deleteChatSessionEntityAsync(created));
    expect("GetChatSessionEntity afterwards", await a.getChatSessionEntityAsync(created), null);
  });
  await check("DeleteChatSessionEntity(999999) (no such session): resolves", async () => {
    isVoid("answer", await agent("tje0", "basic").deleteChatSessionEntityAsync(999999));
  });
}

// queue picks up, resets and creates sessions: 901 and 902 wait.
async function queue() {
  await check("PickUpChatSession(901) (basic bob): now BOB's, CustomerLast, whenStarted a Date", async () => {
    const s = await agent("bob", "basic").pickUpChatSessionAsync(901);
    session(s, 901, "BOB", null);
    expect("status", s.status, "CustomerLast");
    isDate("whenStarted", s.whenStarted);
  });
  await check("PickUpChatSession(901) again (ann; not InQueue now): null", async () => {
    expect("answer", await agent("ann", "basic").pickUpChatSessionAsync(901), null);
  });
  await check("PickUpChatSession({chatSessionId: 157}) (request object; not InQueue): null", async () => {
    expect("answer", await agent("tje0", "basic").pickUpChatSessionAsync({ chatSessionId: 157 }), null);
  });
  await check("PickUpFirstChatSession (ticket ann): 902, now ANN's", async () => {
    const s = await agent("ann", "ticket").pickUpFirstChatSessionAsync();
    session(s, 902, "ANN", null);
    expect("status", s.status, "CustomerLast");
  });
  await check('ResetChatSession(901): back "InQueue", user null', async () => {
    const s = await agent("bob", "basic").resetChatSessionAsync(901);
    session(s, 901, null, null);
    expect("status", s.status, "InQueue");
  });
  await check("ResetChatSession({chatSessionId: 999999}) (request object, no such session): null", async () => {
    expect("answer", await agent("bob", "basic").resetChatSessionAsync({ chatSessionId: 999999 }), null);
  });
  let created = null;
  await check('CreateChatSessionForTopic(225): a new session, status "InQueue", topicId 225', async () => {
    const s = object("answer", await agent("tje0", "basic").createChatSessionForTopicAsync(225));
    if (!(s.chatSessionId > 0)) throw new Error(`chatSessionId = ${s.chatSessionId}; want a new id`);
    created = s.chatSessionId;
    expect("status", s.status, "InQueue");
    expect("topicId", s.topicId, 225);
    expect("user", s.user, null);
    isDate("whenRequested", s.whenRequested);
    return `id ${created}`;
  });
  await check("CreateChatSessionForTopic({chatTopicId: 999999}) (request object, no such topic): null", async () => {
    expect("answer", await agent("tje0", "basic").createChatSessionForTopicAsync({ chatTopicId: 999999 }), null);
  });
  await check("PickUpFirstChatSession (tje0): 901 (waited longest)", async () =>
    session(await agent("tje0", "basic").pickUpFirstChatSessionAsync(), 901, "TJE0", null),
  );
  await check("PickUpFirstChatSession (tje0): the session created for 225", async () =>
    session(await agent("tje0", "basic").pickUpFirstChatSessionAsync(), created, "TJE0", null),
  );
  await check("PickUpFirstChatSession (tje0; the queue is empty): null", async () => {
    expect("answer", await agent("tje0", "basic").pickUpFirstChatSessionAsync(), null);
  });
  await check("ChatSessionsForUser (basic tje0): [798, 901, the created one]", async () => {
    same("chatSessionIds", pluck(list("answer", await agent("tje0", "basic").chatSessionsForUserAsync()), "chatSessionId"), [798, 901, created]);
  });
  await check("ChatSessionsForUser (ticket ann): [157, 902]", async () => {
    same("chatSessionIds", pluck(list("answer", await agent("ann", "ticket").chatSessionsForUserAsync()), "chatSessionId"), [157, 902]);
  });
}

// presence saves BOB's presence.
async function presence() {
  await check("SaveChatPresence([{userId: 15, present: true}]): resolves; GetChatPresence shows BOB present", async () => {
    const a = agent("bob", "basic");
    isVoid("answer", await a.saveChatPresenceAsync([{ userId: 15, present: true }]));
    const ps = list("presence", await a.getChatPresenceAsync());
    same("present", pluck(ps, "present"), [true, true, true]);
  });
  await check("GetUserAgentList(true, true) with BOB present: [13, 14, 15]", async () => {
    same("ids", pluck(list("answer", await agent("bob", "basic").getUserAgentListAsync(true, true)), "id"), [13, 14, 15]);
  });
  await check("SaveChatPresence({chatPresence: [BOB's loaded presence, present false]}) (request object): resolves; BOB away", async () => {
    const a = agent("bob", "basic");
    const ps = list("presence", await a.getChatPresenceAsync());
    const bob = ps.find((p) => p.userId === 15);
    bob.present = false;
    isVoid("answer", await a.saveChatPresenceAsync({ chatPresence: [bob] }));
    same("present", pluck(list("presence", await a.getChatPresenceAsync()), "present"), [true, true, false]);
  });
}

// topics round-trips topics (includeTZOffset: dates are instants) and
// creates and deletes one.
async function topics() {
  await check("SaveChatTopicEntity(226 loaded, secondsPrAccept 90, requiredFields 5 numeric): saved, reload equal", async () => {
    const a = agent("tje0", "basic", { timezoneInclude: true });
    const t = object("loaded", await a.getChatTopicEntityAsync(226));
    const lastAccept = t.lastAccept;
    instant("loaded lastAccept", lastAccept, "2024-03-04T14:12:00Z");
    t.secondsPrAccept = 90;
    t.widget.requiredFields = 5; // Email, Company: the client sends flags as numbers
    const saved = object("saved", await a.saveChatTopicEntityAsync(t));
    expect("saved secondsPrAccept", saved.secondsPrAccept, 90);
    expect("saved widget.requiredFields", saved.widget && saved.widget.requiredFields, 5);
    const again = object("reloaded", await a.getChatTopicEntityAsync(226));
    expect("reloaded secondsPrAccept", again.secondsPrAccept, 90);
    expect("reloaded widget.requiredFields", again.widget && again.widget.requiredFields, 5);
    expect("reloaded widget.size", again.widget && again.widget.size, "Large");
    expect("reloaded name", again.name, 'US:"Sales";NO:"Salg"');
    instant("reloaded lastAccept", again.lastAccept, "2024-03-04T14:12:00Z");
  });
  await check("SaveChatTopicEntity(225 loaded, monStart + 30 minutes as a Duration): reload monStart 8.5 h", async () => {
    const a = agent("tje0", "basic", { timezoneInclude: true });
    const t = object("loaded", await a.getChatTopicEntityAsync(225));
    t.openingHours.monStart = t.openingHours.monStart.add(30, "minute");
    const saved = object("saved", await a.saveChatTopicEntityAsync(t));
    expect("monStart the client sent", JSON.parse(a.last.config.data).openingHours.monStart, "PT8H30M");
    duration("saved openingHours.monStart", saved.openingHours && saved.openingHours.monStart, 8.5);
    const again = object("reloaded", await a.getChatTopicEntityAsync(225));
    const h = object("reloaded openingHours", again.openingHours);
    duration("reloaded openingHours.monStart", h.monStart, 8.5);
    duration("reloaded openingHours.monStop", h.monStop, 16);
    duration("reloaded openingHours.satStart", h.satStart, 0);
    duration("reloaded openingHours.lunchStart", h.lunchStart, 11.5);
    expect("reloaded name", again.name, 'US:"Support";NO:"Kundestøtte"');
    expect("reloaded widget.requiredFields", again.widget && again.widget.requiredFields, 3);
    instant("reloaded lastAccept", again.lastAccept, "2024-03-05T08:40:00Z");
  });
  await check("IsWithinOpeningHours(225) after the change: the boolean of the new hours (Monday from 08:30)", async () =>
    opening(agent("tje0", "basic"), 8.5),
  );
  let created = null;
  await check('SaveChatTopicEntity(CreateDefault, name "Billing"): a new topic with an id', async () => {
    const a = agent("tje0", "basic");
    const d = object("default", await a.createDefaultChatTopicEntityAsync());
    d.name = "Billing";
    const t = object("saved", await a.saveChatTopicEntityAsync(d));
    if (!(t.chatTopicId > 0)) throw new Error(`chatTopicId = ${t.chatTopicId}; want a new id`);
    created = t.chatTopicId;
    expect("name", t.name, "Billing");
    expect("reloaded name", (await a.getChatTopicEntityAsync(created) || {}).name, "Billing");
    expect("IsWithinOpeningHours (no opening hours)", await a.isWithinOpeningHoursAsync(created), true);
    return `id ${created}`;
  });
  await check("DeleteChatTopicEntity(the new topic): resolves; GetChatTopicEntity then null", async () => {
    const a = agent("tje0", "basic");
    isVoid("answer", await a.deleteChatTopicEntityAsync(created));
    expect("GetChatTopicEntity afterwards", await a.getChatTopicEntityAsync(created), null);
  });
}

// topicAgents adds BOB to 225, changes and removes him, and replaces 226's
// list.
async function topicAgents() {
  await check("AddChatTopicUserAgent(225, CreateDefault with user BOB): topicId 225, user BOB", async () => {
    const a = agent("tje0", "basic");
    const g = object("default", await a.createDefaultChatTopicAgentAsync());
    g.user = object("BOB", (await a.getChatSessionEntityAsync(184)).user);
    expect("user.name", g.user.name, "BOB");
    g.canNotify = true;
    const added = object("answer", await a.addChatTopicUserAgentAsync(225, g));
    expect("topicId", added.topicId, 225);
    expect("user.name", name(added.user), "BOB");
    same("rights", [added.canListen, added.canRespond, added.canManage, added.canNotify], [true, true, false, true]);
  });
  await check('UpdateChatTopicUserAgent(225, "BOB", loaded with canManage true): canManage true', async () => {
    const a = agent("tje0", "basic");
    const g = object("loaded", await a.getChatTopicUserAgentAsync(225, "bob.smith"));
    g.canManage = true;
    const updated = object("answer", await a.updateChatTopicUserAgentAsync(225, "BOB", g));
    expect("user.name", name(updated.user), "BOB");
    expect("canManage", updated.canManage, true);
  });
  await check('GetChatTopicUserAgent({chatTopicId: 225, username: "15"}) (request object): canManage true', async () => {
    const g = object("answer", await agent("ann", "ticket").getChatTopicUserAgentAsync({ chatTopicId: 225, username: "15" }));
    expect("user.name", name(g.user), "BOB");
    expect("canManage", g.canManage, true);
  });
  await check("GetChatTopicUserAgentList(225): TJE0, ANN, BOB", async () => {
    same("user names", pluck(list("answer", await agent("tje0", "basic").getChatTopicUserAgentListAsync(225)), (g) => name(g.user)), ["TJE0", "ANN", "BOB"]);
  });
  await check("UpdateChatTopicUserAgents(226, [ANN as manager]): the whole list is [ANN]", async () => {
    const a = agent("tje0", "basic");
    const ann = object("loaded", await a.getChatTopicUserAgentAsync(226, "ann"));
    ann.canManage = true;
    const gs = list("answer", await a.updateChatTopicUserAgentsAsync(226, [ann]));
    same("user names", pluck(gs, (g) => name(g.user)), ["ANN"]);
    same("canManage", pluck(gs, "canManage"), [true]);
    same("GetChatTopicUserAgentList(226)", pluck(list("list", await a.getChatTopicUserAgentListAsync(226)), (g) => name(g.user)), ["ANN"]);
  });
  await check('DeleteChatTopicUserAgent(225, "BOB"): resolves; GetChatTopicUserAgent then null', async () => {
    const a = agent("tje0", "basic");
    isVoid("answer", await a.deleteChatTopicUserAgentAsync(225, "BOB"));
    expect("GetChatTopicUserAgent afterwards", await a.getChatTopicUserAgentAsync(225, "BOB"), null);
  });
  await check('DeleteChatTopicUserAgent({chatTopicId: 225, username: "bob"}) (request object, not an agent): resolves', async () => {
    isVoid("answer", await agent("tje0", "basic").deleteChatTopicUserAgentAsync({ chatTopicId: 225, username: "bob" }));
  });
  await check("ChatTopicsForUser (basic bob; an agent of no topic now): []", async () => {
    same("answer", await agent("bob", "basic").chatTopicsForUserAsync(), []);
  });
}

async function main() {
  // The package's exports map hides its package.json from require.
  const pkg = path.join(path.dirname(require.resolve("@superoffice/webapi")), "..", "..", "package.json");
  const { version } = JSON.parse(fs.readFileSync(pkg, "utf8"));
  console.log(`chatgate at ${baseUrl}, @superoffice/webapi ${version}`);
  if (version !== pinned) {
    console.log(`FAIL the installed client is ${version}; package.json pins ${pinned}: run npm ci`);
    process.exitCode = 1;
    return;
  }

  // 0. The methods that change nothing, on the fresh backend.
  await reads();

  // 1. The transfer rules with Basic (users in Caddyfile.example).
  await trio("basic", 157, ["tje0", "ann", "bob"]);

  // 2. The same with tickets and bearer tokens: the gateway learns the caller
  // from the backend's identity_route.
  await trio("ticket", 184, ["ann", "bob", "tje0"]);
  await trio("bearer", 798, ["bob", "tje0", "ann"]);

  // 3. A session that does not exist: the backend's 404 is 200 null.
  await check("basic: tje0 transfers 999999 (no such session): null", async () => {
    expect("answer", await agent("tje0", "basic").transferChatSessionAsync(999999, "ann"), null);
  });

  // 4. Every SO-Timezone form the client sends (agents-chat.md C.2). Session
  // 157 is ANN's now (or TJE0's if the Basic checks failed): bob's accept
  // changes nothing.
  const oslo = "Europe/Oslo";
  const ny = "America/New_York";
  await timezone("absent", {}, undefined, { header: null, zone: oslo });
  await timezone('agent "US-NY"', { timezone: "US-NY" }, undefined, { header: "US-NY", zone: ny });
  await timezone('agent "US-NY" + timezoneInclude', { timezone: "US-NY", timezoneInclude: true }, undefined, {
    header: "US-NY,includeTZOffset",
    include: true,
  });
  await timezone("agent timezoneInclude alone", { timezoneInclude: true }, undefined, {
    header: "includeTZOffset",
    include: true,
  });
  await timezone('per call {timezone: ""}', {}, { timezone: "" }, { header: "", zone: oslo });
  await timezone('per call "us-ny" + timezoneInclude', {}, { timezone: "us-ny", timezoneInclude: true }, {
    header: "us-ny,includeTZOffset",
    include: true,
  });
  await timezone('per call "utc" + timezoneInclude', {}, { timezone: "utc", timezoneInclude: true }, {
    header: "utc,includeTZOffset",
    include: true,
  });
  await timezone('agent "261" (numeric id of NO)', { timezone: "261" }, undefined, { header: "261", zone: oslo });
  await timezone('per call "UTC" on an agent with "US-NY" + timezoneInclude', { timezone: "US-NY", timezoneInclude: true }, { timezone: "UTC" }, {
    header: "UTC",
    zone: "UTC",
  });

  // With a ticket or a token, the client keeps the Authorization header in
  // a header object it shares with every later request, and writes each
  // call's own options into it: one call's {timezone: ""} sends
  // "SO-Timezone: " on every later call of every agent built from that
  // configuration, the agent's own zone overridden.
  await check('bearer: a per-call {timezone: ""} sticks to the later calls', async () => {
    const a = agent("bob", "bearer", { timezone: "US-NY" });
    await a.acceptChatSessionTransferAsync(157, { timezone: "" });
    const s = await a.acceptChatSessionTransferAsync(157);
    expect("SO-Timezone header of the next call", a.last.config.headers.get("SO-Timezone"), "");
    if (s === null) throw new Error("answer = null; want session 157");
    for (const [field, { wire, iso }] of Object.entries(instants)) {
      const raw = a.last.data[wire];
      const want = hasOffset(raw) ? new Date(iso) : wallTimeAsUTC(iso, oslo);
      if (!(s[field] instanceof Date) || s[field].getTime() !== want.getTime()) {
        throw new Error(`${field} = ${s[field]} from ${JSON.stringify(raw)}; want ${want.toISOString()}`);
      }
    }
  });

  // 5. Languages.
  await language('agent languageCode "nb"', { languageCode: "nb" }, undefined, { "SO-Language": "nb", "Accept-Language": null });
  await language('agent languageCode "en"', { languageCode: "en" }, undefined, { "SO-Language": "en" });
  await language('agent cultureCode "nb-NO"', { cultureCode: "nb-NO" }, undefined, { "SO-Culture": "nb-NO", "SO-Language": null });
  await language('per call languageCode "nb", cultureCode "nb-NO"', {}, { languageCode: "nb", cultureCode: "nb-NO" }, {
    "SO-Language": "nb",
    "Accept-Language": "nb",
    "SO-Culture": "nb-NO",
  });

  // 6. The methods that change something, each group on sessions, topics
  // and agents the others leave alone (after 1-5: 157 is ANN's, 184 BOB's,
  // 798 TJE0's).
  await trioRequestObjects();
  await messages();
  await saves();
  await queue();
  await presence();
  await topics();
  await topicAgents();

  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
